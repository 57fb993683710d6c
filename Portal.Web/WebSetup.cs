using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Seeding;
using Portal.Web.Accounts;
using Portal.Web.Agencies;
using Portal.Web.Components.Account;
using Portal.Web.Health;
using Portal.Web.Telephony;
using Portal.Web.Tenancy;

namespace Portal.Web;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Platform admins only.</summary>
    public const string PlatformAdmin = "PlatformAdmin";

    /// <summary>A user who belongs to a business (owner or staff).</summary>
    public const string BusinessUser = "BusinessUser";

    /// <summary>The business's owner only (settings, API keys).</summary>
    public const string BusinessOwner = "BusinessOwner";
}

/// <summary>Web-layer wiring: Blazor, MudBlazor, Identity, policies, tenancy, health checks.</summary>
public static class WebSetup
{
    /// <summary>Adds the web layer's services.</summary>
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        // Serve package assets (MudBlazor) from the build output in every environment, not only Development;
        // a published app has them in wwwroot already and this is then a no-op.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<CircuitHandler, TenantCircuitHandler>();
        services.AddScoped<Portal.Domain.Audit.ICurrentUser, CurrentUser>();
        services.AddScoped<TenantClock>();
        services.AddSingleton<Components.Shared.PageErrors>();
        services.AddPortalAgencyWeb();
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, Components.Pages.Admin.ViewAsClaimsTransformation>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = AccountsSetup.SelectorScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddApiKeyOrCookieSelector()
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });
        services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.PlatformAdmin, p => p.RequireRole(Roles.PlatformAdmin))
            .AddPolicy(Policies.BusinessUser, p => p.RequireRole(Roles.BusinessOwner, Roles.BusinessStaff).AddRequirements(new ApiKeyScopeRequirement()))
            .AddPolicy(Policies.BusinessOwner, p => p.RequireRole(Roles.BusinessOwner));

        // Every instance must read what another protected (cookies, Media Streams tokens, stored secrets): the key ring lives in
        // the database (DataProtection:KeysInDatabase) or in a directory every instance mounts (DataProtection:KeysPath).
        var keysPath = builder.Configuration["DataProtection:KeysPath"];
        var dataProtection = services.AddDataProtection().SetApplicationName("Portal");
        if (builder.Configuration.GetValue("DataProtection:KeysInDatabase", false))
        {
            dataProtection.PersistKeysToDbContext<PortalDbContext>();
        }
        else if (!string.IsNullOrWhiteSpace(keysPath))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }

        services.AddPortalAccounts();
        services.AddTelephonyWebhooks();
        LiveChat.LiveChatSetup.AddPortalLiveChat(services);
        Public.PublicSite.AddPublicSite(services);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddPortalAdminChecks();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    private const string AdminForbiddenHtml = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Access denied · Portal</title>
        <style>body{font-family:Roboto,Arial,sans-serif;background:#f5f5f5;margin:0}main{max-width:480px;margin:15vh auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}a{color:#3f51b5}</style>
        </head><body><main><h1>Access denied</h1><p>This area is for platform administrators.</p><p><a href="/">Back to the dashboard</a></p></main></body></html>
        """;

    /// <summary>
    /// Applies migrations and seeds the platform admin, the sandbox pool and (unless <c>Portal:SeedDemo</c> is false) the demo
    /// business; then loads the authorization server's keys and, in keyless mode, the shared sandbox webhook token (and its file).
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        await seeder.SeedAsync(app.Configuration.GetValue("Portal:SeedDemo", true), app.Lifetime.ApplicationStopping);

        // The authorization server's keys are read (or made) now, with the database just migrated. OpenIddict's handler
        // runs on every request: keys loaded on first use made every request (the Twilio webhooks' apology TwiML included)
        // fail with a 500 while the database was down.
        _ = app.Services.GetRequiredService<Mcp.OAuth.OAuthServerKeys>().Signing;

        // Keyless mode: the generated webhook token is shared (platform_secrets) and written to its file now, so the call
        // simulator and the load driver can sign from the moment the app listens, and the first webhook does not wait on it.
        if (app.Services.GetRequiredService<Telephony.ISandboxCredentials>() is { IsGenerated: true } sandbox)
        {
            _ = sandbox.AuthToken;
        }
    }

    /// <summary>Prints where the app listens and the demo logins, once it has started.</summary>
    public static void PrintStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            Console.WriteLine($"""

                ==============================================================
                 Portal is running at {urls}
                 Platform admin : {DemoSeeder.AdminEmail} / {DemoSeeder.DemoPassword}
                 Demo business  : {DemoSeeder.OwnerEmail} / {DemoSeeder.DemoPassword}  ({DemoSeeder.DemoBusinessName})
                 Or register a new business at {app.Urls.FirstOrDefault()}/Account/Register
                ==============================================================

                """);
        });
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        // A signed-in non-admin on any /admin page or endpoint gets a real 403 (with a short page for people), not a redirect.
        if (status == StatusCodes.Status403Forbidden && context.Request.Path.StartsWithSegments("/admin") && !context.Request.Path.StartsWithSegments("/admin/jobs"))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(AdminForbiddenHtml);
        }

        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/admin/jobs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Reports whether PostgreSQL answers.</summary>
public sealed class DatabaseHealthCheck(Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("PostgreSQL answers.")
                : HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
        }
    }
}
