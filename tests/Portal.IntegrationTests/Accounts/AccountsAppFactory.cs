using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Accounts;

/// <summary>
/// The app with small sign-in limits, the security stamp checked on every request, a counting password hasher,
/// and the client IP taken from an <c>X-Test-Client-Ip</c> header (TestServer has no remote address), so tests can
/// act as different networks.
/// </summary>
public sealed partial class AccountsAppFactory : PortalAppFactory
{
    public const string IpHeader = "X-Test-Client-Ip";

    public const int PerIpLimit = 8;

    public const int PerAccountLimit = 3;

    public const int ApiKeyLimit = 15;

    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Accounts:SignIn:PerIpPermitLimit", PerIpLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Accounts:SignIn:PerIpWindowSeconds", "3600");
        builder.UseSetting("Accounts:SignIn:PerAccountPermitLimit", PerAccountLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Accounts:SignIn:PerAccountWindowSeconds", "3600");
        builder.UseSetting("Accounts:SecurityStampValidationSeconds", "0");
        builder.UseSetting("Accounts:ApiKeys:PermitLimit", ApiKeyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Accounts:ApiKeys:WindowSeconds", "3600");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPasswordHasher<PortalUser>>(Hasher);
            services.AddSingleton<IStartupFilter, TestClientIpFilter>();
        });
    }

    /// <summary>A client without automatic redirects whose requests come from <paramref name="ip"/>.</summary>
    public HttpClient Browser(string ip)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(IpHeader, ip);
        return client;
    }

    /// <summary>Creates an API key for <paramref name="tenantId"/> through the service the Settings page uses.</summary>
    public Task<Portal.Domain.ApiKeys.CreatedApiKey> CreateKeyAsync(Guid tenantId, params string[] scopes) =>
        InTenantAsync(tenantId, sp => sp.GetRequiredService<Portal.Domain.ApiKeys.ApiKeyService>().CreateAsync("Test key", scopes, null, CancellationToken.None));

    /// <summary>A client with no cookies sending <c>Authorization: Bearer <paramref name="key"/></c>.</summary>
    public HttpClient ApiClient(string key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Posts a static-SSR form: reads the antiforgery token from <paramref name="pagePath"/> and posts <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pagePath, string handler, IDictionary<string, string> fields, string? postPath = null)
    {
        var page = await client.GetStringAsync(pagePath);
        var token = Antiforgery().Match(page).Groups[1].Value;
        var values = new Dictionary<string, string>(fields) { ["_handler"] = handler, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) };
        using var form = new FormUrlEncodedContent(values);
        return await client.PostAsync(postPath ?? pagePath, form);
    }

    /// <summary>Posts the login form.</summary>
    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/Account/Login" : "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        return PostFormAsync(client, path, "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    /// <summary>The application cookie (<c>name=value</c>) set by <paramref name="response"/>, or null.</summary>
    public static string? AuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).LastOrDefault(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal) && c.Length > 40)
            : null;

    /// <summary>GET <paramref name="path"/> with only <paramref name="cookie"/> (a copied session cookie).</summary>
    public async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>Account emails (category <c>account.*</c>) to <paramref name="to"/>, newest first.</summary>
    public async Task<List<OutboxMessage>> EmailsToAsync(string to)
    {
        await using var scope = Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.OutboxMessages.Where(m => m.To == to && m.Category.StartsWith("account.")).OrderByDescending(m => m.CreatedAt).ToListAsync();
    }

    /// <summary>The first link in <paramref name="body"/> made relative to the site.</summary>
    public static string LinkIn(string body)
    {
        var url = new Uri(Link().Match(body).Value);
        return url.PathAndQuery;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();

    private sealed class TestClientIpFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(IpHeader, out var ip) && IPAddress.TryParse(ip, out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Identity's hasher, counting how often a password is verified.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<PortalUser>
{
    private readonly PasswordHasher<PortalUser> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(PortalUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
