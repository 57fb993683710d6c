using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain.Numbers;
using Portal.Domain.Onboarding;
using Portal.Domain.Tenancy;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>A business created for a test, with its owner's login.</summary>
public sealed record TestTenant(Guid TenantId, string Name, string Email, string Password, Guid AgentId);

/// <summary>
/// The real app on a fresh PostgreSQL database (one per test class), with the job server off.
/// Set <see cref="UseRealServer"/> to serve on Kestrel (for the browser tests).
/// </summary>
public partial class PortalAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Test!Passw0rd";

    private TestDatabase? _database;
    private readonly string? _sharedConnectionString;

    public PortalAppFactory()
    {
    }

    /// <summary>Another instance of the app over an existing database (several instances, one database): nothing is created or dropped.</summary>
    protected PortalAppFactory(string sharedConnectionString) => _sharedConnectionString = sharedConnectionString;

    protected virtual bool UseRealServer => false;

    public string ConnectionString => _database?.ConnectionString ?? _sharedConnectionString!;

    /// <summary>Base address of the Kestrel server when <see cref="UseRealServer"/>.</summary>
    public Uri ServerAddress { get; private set; } = new("http://localhost");

    public virtual async Task InitializeAsync()
    {
        if (_sharedConnectionString is null)
        {
            _database = await TestDatabase.CreateAsync("portal_it");
        }

        // The host is built and started on a thread-pool thread, outside xunit's MaxConcurrencySyncContext: StartServer and
        // Services block while migrations and seeding run (tens of seconds under load), and xunit gives all running tests
        // only as many context threads as there are cores (https://github.com/xunit/xunit/issues/2587). Blocking one of
        // them starved the other test class's continuations (a Playwright navigation wait ran out after 120 s in CI), and
        // anything the start captured would post back to that context for the life of the host.
        await Task.Run(() =>
        {
            if (UseRealServer)
            {
                UseKestrel(0);
                StartServer();
                var client = CreateClient();
                ServerAddress = client.BaseAddress!;
            }
            else
            {
                _ = Services; // builds the host: migrations and seeding run now
            }
        });
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (Exception ex)
        {
            // xunit reports a failed class clean-up by the exception's type only: keep the whole exception where test.sh
            // prints it after the project's run.
            ReportStopFailure(GetType().Name, ex);
            throw;
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Appends a failure to stop an app to the file named by <c>PORTAL_TEST_DIAGNOSTICS</c>, when set (test.sh sets it).</summary>
    internal static void ReportStopFailure(string fixture, Exception ex)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_TEST_DIAGNOSTICS") is { Length: > 0 } path)
        {
            File.AppendAllText(path, $"--- {DateTimeOffset.UtcNow:O} {fixture}: stopping the app failed{Environment.NewLine}{ex}{Environment.NewLine}");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Portal:SeedDemo", "false");

        // pocketsphinx decodes at nice 10 in the product, so a call's own audio wins a contended CPU. On a machine shared
        // with other work (CI beside other builds) that makes decoding wait behind every other process, and a spoken
        // question goes unanswered. Tests check what a call does, not scheduling priority (DedicatedWorkerPoolTests does).
        builder.UseSetting("Voice:SpeechToText:Pocketsphinx:DecoderNiceness", "0");
    }

    /// <summary>Creates a business from the dental template with an owner, a live agent and an assigned sandbox number.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name, Industry industry = Industry.Dental)
    {
        await using var scope = Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var users = sp.GetRequiredService<UserManager<PortalUser>>();
        var email = $"{Guid.NewGuid():N}@test.example";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name + " owner" };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(";", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.BusinessOwner);
        var tenantId = await sp.GetRequiredService<TenantProvisioner>().CreateAsync(
            new BusinessDetails(name, industry, "America/New_York", "+12125550188", "1 Test Plaza, New York, NY"), user.Id, null, CancellationToken.None);
        sp.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        var factory = sp.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var tenant = await db.Tenants.FirstAsync();
        tenant.Status = TenantStatus.Active;
        tenant.OnboardingStep = 4;
        // Open every day 8-20 so tests never depend on the weekday they run.
        await db.BusinessHours.ExecuteDeleteAsync();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            db.BusinessHours.Add(new BusinessHours { TenantId = tenantId, DayOfWeek = day, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(20, 0) });
        }

        var agent = await db.AgentPersonas.FirstAsync();
        agent.IsLive = true;
        await db.SaveChangesAsync();
        var pool = sp.GetRequiredService<NumberPool>();
        var number = (await pool.ListAvailableAsync(null, null, 1, CancellationToken.None))[0];
        Assert.Equal(ReserveResult.Reserved, await pool.ReserveAsync(tenantId, number.Id, CancellationToken.None));
        Assert.True(await pool.AssignAsync(tenantId, number.Id, agent.Id, CancellationToken.None));
        return new TestTenant(tenantId, name, email, Password, agent.Id);
    }

    /// <summary>An HTTP client signed in as the tenant's owner through the real login form.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = UseRealServer ? ServerAddress : new Uri("http://localhost") });
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var response = await client.PostAsync("/Account/Login", form);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"Login of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Runs <paramref name="action"/> in a scope whose current tenant is <paramref name="tenantId"/>.</summary>
    public async Task<T> InTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
