using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Seeding;

namespace Portal.IntegrationTests;

/// <summary>"View as tenant": start and exit are audited, the banner shows, one tenant only, and only for the admin who started it.</summary>
public sealed partial class AdminViewAsTests(AdminFixture f) : IClassFixture<AdminFixture>
{
    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return WebUtility.HtmlDecode(Antiforgery().Match(html).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string token) =>
        client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

    [Fact]
    public async Task ViewAs_ShowsTheBusinessUnderABanner_IsAudited_AndExits()
    {
        var admin = await f.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var token = await TokenAsync(admin, "/admin/tenants");
        var start = await PostFormAsync(admin, $"/admin/view-as/{f.Known.TenantId}", token);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Contains(start.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Portal.ViewAs=", StringComparison.Ordinal));

        // The business's own pages open, for that business only, under the banner.
        var home = WebUtility.HtmlDecode(await admin.GetStringAsync("/bookings"));
        Assert.Contains("data-testid=\"view-as-banner\"", home, StringComparison.Ordinal);
        Assert.Contains(AdminFixture.KnownName, home, StringComparison.Ordinal);
        var calls = await admin.GetAsync("/api/v1/conversations");
        Assert.Equal(HttpStatusCode.OK, calls.StatusCode);

        // A business owner holding the same cookie gains nothing: it is bound to the admin.
        var cookie = start.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("Portal.ViewAs=", StringComparison.Ordinal)).Split(';')[0];
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/admin/numbers"))
        {
            request.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.Forbidden, (await f.OwnerClient.SendAsync(request)).StatusCode);
        }

        var exitToken = await TokenAsync(admin, "/bookings");
        var exit = await PostFormAsync(admin, "/admin/view-as/exit", exitToken);
        Assert.Equal(HttpStatusCode.Redirect, exit.StatusCode);
        Assert.DoesNotContain("view-as-banner", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var actions = await db.AuditEntries.AsNoTracking().Where(e => e.TargetId == f.Known.TenantId.ToString()).OrderBy(e => e.At).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.TenantImpersonateStart, AuditActions.TenantImpersonateEnd], actions.Where(a => a.StartsWith("tenant.impersonate", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ViewAs_WithoutAntiforgeryToken_IsRefused()
    {
        var admin = await f.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var response = await admin.PostAsync($"/admin/view-as/{f.Known.TenantId}", new FormUrlEncodedContent([]));
        // Refused by antiforgery (a 400 that the status-code pages render as the not-found page): no cookie, no audit entry.
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("Portal.ViewAs=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ViewAs_UnknownTenant_Is404()
    {
        var admin = await f.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var token = await TokenAsync(admin, "/admin/tenants");
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(admin, $"/admin/view-as/{Guid.NewGuid()}", token)).StatusCode);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
