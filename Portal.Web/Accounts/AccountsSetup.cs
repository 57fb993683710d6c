using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Accounts;

/// <summary>Wiring of account security: sign-in rate limits, the per-account throttle, session revocation.</summary>
public static class AccountsSetup
{
    /// <summary>The default authentication scheme: forwards to <see cref="ApiKeyAuthenticationHandler"/> for a Bearer
    /// request under <c>/api/v1</c> and to the Identity cookie otherwise.</summary>
    public const string SelectorScheme = "PortalApiKeyOrCookie";

    /// <summary>Adds <see cref="SelectorScheme"/> and the API key scheme.</summary>
    public static AuthenticationBuilder AddApiKeyOrCookieSelector(this AuthenticationBuilder builder) => builder
        .AddPolicyScheme(SelectorScheme, "API key or cookie", o => o.ForwardDefaultSelector = context =>
            context.Request.Path.StartsWithSegments("/api/v1") && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? ApiKeyAuthenticationHandler.SchemeName
                : IdentityConstants.ApplicationScheme)
        .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

    /// <summary>Paths whose POSTs count against the per-IP sign-in limit.</summary>
    private static readonly string[] LimitedPaths =
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword", "/Account/ResetPassword", "/Account/ResendEmailConfirmation"];

    /// <summary>Adds the account services and the rate limiter (ASP.NET Core rate limiting middleware,
    /// https://learn.microsoft.com/aspnet/core/performance/rate-limit).</summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services)
    {
        services.AddOptions<SignInLimitOptions>().BindConfiguration("Accounts:SignIn").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<AccountSignIn>();
        services.AddScoped<AccountMailer>();
        services.AddScoped<AccountProfile>();
        services.AddScoped<Teams.TeamService>();
        services.AddScoped<Teams.InvitationAcceptance>();
        services.AddSingleton<IAuthorizationHandler, ApiKeyScopeHandler>();
        services.AddOptions<ApiKeyLimitOptions>().BindConfiguration("Accounts:ApiKeys").ValidateDataAnnotations().ValidateOnStart();

        // Identity lockout is replaced by SignInThrottle (it let anyone lock out anyone).
        services.Configure<IdentityOptions>(o =>
        {
            o.Lockout.AllowedForNewUsers = false;
            // Any character an email address may hold (e.g. "ñ"): the user name is the email.
            o.User.AllowedUserNameCharacters = "";
        });

        // Sessions die soon after logout or a password change: the cookie's security stamp is checked every minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(60));
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IConfiguration>((o, config) =>
        {
            if (config.GetValue<int?>("Accounts:SecurityStampValidationSeconds") is { } seconds)
            {
                o.ValidationInterval = TimeSpan.FromSeconds(seconds);
            }
        });

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                        detail: "This API key has used its requests for now; retry after the number of seconds in Retry-After.").ExecuteAsync(context.HttpContext);
                    return;
                }

                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("Too many attempts from your network. Wait a minute and try again.", ct);
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (ApiKeyAuthenticationHandler.KeyIdOf(context.User) is { } keyId)
                {
                    var k = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiKeyLimitOptions>>().Value;
                    return RateLimitPartition.GetFixedWindowLimiter("key:" + keyId, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = k.PermitLimit,
                        Window = TimeSpan.FromSeconds(k.WindowSeconds),
                        QueueLimit = 0,
                    });
                }

                if (!HttpMethods.IsPost(context.Request.Method) || !LimitedPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var o = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignInLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "?"), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = o.PerIpPermitLimit,
                    Window = TimeSpan.FromSeconds(o.PerIpWindowSeconds),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}
