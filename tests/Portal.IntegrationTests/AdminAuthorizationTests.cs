using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.IntegrationTests;

/// <summary>
/// Every admin page and endpoint refuses non-admins with 403. The list is read from the app's own
/// endpoint data sources (Razor component routes, minimal APIs, the Hangfire dashboard), so a new
/// admin page or endpoint is covered the moment it is mapped.
/// </summary>
public sealed partial class AdminAuthorizationTests(AdminFixture f) : IClassFixture<AdminFixture>
{
    /// <summary>The admin routes that must exist; the enumeration must find at least these.</summary>
    private static readonly string[] KnownAdminRoutes =
        ["/admin", "/admin/numbers", "/admin/numbers/buy", "/admin/tenants", "/admin/agents", "/admin/audit", "/admin/outbox", "/admin/health", "/admin/jobs"];

    private List<(string Method, string Path)> AdminEndpoints()
    {
        var source = f.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).StartsWith("/admin", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
    }

    /// <summary>Fills route parameters with sample values: a GUID for ids, "x" otherwise; catch-alls empty.</summary>
    private static string Concrete(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        path = CatchAll().Replace(path, "");
        path = Parameter().Replace(path, m => m.Value.Contains("guid", StringComparison.OrdinalIgnoreCase) || m.Value.Contains("id", StringComparison.OrdinalIgnoreCase)
            ? "00000000-0000-0000-0000-000000000001" : "x");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [Fact]
    public void Enumeration_FindsEveryKnownAdminRoute()
    {
        var paths = AdminEndpoints().Select(e => e.Path).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(KnownAdminRoutes, route => Assert.Contains(route, paths));
    }

    [Fact]
    public async Task EveryAdminPageAndEndpoint_AsBusinessOwner_Is403()
    {
        var endpoints = AdminEndpoints();
        Assert.NotEmpty(endpoints);
        var failures = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new FormUrlEncodedContent([]);
            }

            var response = await f.OwnerClient.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.Add($"{method} {path} → {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, "Not 403 for a business owner: " + string.Join("; ", failures));
    }

    [Fact]
    public async Task EveryAdminPage_Anonymous_IsSentToLoginOr401()
    {
        var anonymous = f.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var (method, path) in AdminEndpoints().Where(e => e.Method == "GET"))
        {
            var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/Login", StringComparison.Ordinal)),
                $"GET {path} anonymous → {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task ForbiddenPage_TellsPeopleWhy()
    {
        var response = await f.OwnerClient.GetAsync("/admin/numbers/buy");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("platform administrators", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAdminPage_AsPlatformAdmin_Is200()
    {
        foreach (var path in KnownAdminRoutes.Where(p => p != "/admin/jobs"))
        {
            var response = await f.AdminClient.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} as admin → {(int)response.StatusCode}");
            Assert.DoesNotContain("data-testid=\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"\{\*\*?[^}]*\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
