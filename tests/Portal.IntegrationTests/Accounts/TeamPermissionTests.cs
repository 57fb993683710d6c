using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.Teams;

namespace Portal.IntegrationTests.Accounts;

/// <summary>What staff can and cannot reach (every owner-only page and endpoint), role changes and removal (sessions end).</summary>
public sealed class TeamPermissionTests(TeamAppFactory app) : IClassFixture<TeamAppFactory>
{
    private const string StaffPassword = "Staff!Passw0rd";

    /// <summary>Owner-only pages and endpoints: staff get a redirect to the access-denied page (or 403), never the content.</summary>
    public static TheoryData<string> OwnerOnly() => new()
    {
        "/settings", "/settings/api-keys", "/settings/team", "/settings/notifications", "/team", "/api-keys",
        "/agent", "/knowledge", "/business", "/billing", "/onboarding", "/billing/checkout/starter", "/billing/portal",
    };

    /// <summary>Pages staff use.</summary>
    public static TheoryData<string> StaffPages() => new() { "/", "/conversations", "/bookings", "/ask", "/console", "/account" };

    private async Task<(TestTenant Owner, string StaffEmail, HttpClient Staff)> TeamWithStaffAsync(string name)
    {
        var owner = await app.CreateTenantAsync(name);
        var email = $"{Guid.NewGuid():N}@staff.example";
        await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().InviteAsync(email, Roles.BusinessStaff, "http://localhost/", CancellationToken.None));
        var mail = (await app.OutboxToAsync(email)).First(m => m.Category == TeamService.InvitationCategory);
        var staff = app.Browser();
        var accepted = await AccountsAppFactory.PostFormAsync(staff, AccountsAppFactory.LinkIn(mail.Body), "accept-register",
            new Dictionary<string, string> { ["Input.DisplayName"] = "Sam Staff", ["Input.Password"] = StaffPassword });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        return (owner, email, staff);
    }

    private static void AssertRefused(HttpResponseMessage response, string path)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/AccessDenied", StringComparison.Ordinal)),
            $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Theory]
    [MemberData(nameof(OwnerOnly))]
    public async Task Staff_IsRefused_EveryOwnerOnlyPageAndEndpoint(string path)
    {
        var (_, _, staff) = await TeamWithStaffAsync("Staff Refused " + path);
        AssertRefused(await staff.GetAsync(path), path);
    }

    [Theory]
    [MemberData(nameof(StaffPages))]
    public async Task Staff_Reaches_ConversationsBookingsAndTheirAccount(string path)
    {
        var (_, _, staff) = await TeamWithStaffAsync("Staff Allowed " + path);
        var response = await staff.GetAsync(path);
        // On failure the body (the developer exception page in tests) says why.
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await BodyStartAsync(response)}");
    }

    private static async Task<string> BodyStartAsync(HttpResponseMessage response)
    {
        var body = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        return body.Length > 3000 ? body[..3000] : body;
    }

    [Fact]
    public async Task Staff_ReadsConversationsThroughTheApi_AndCannotChangeTheTeam()
    {
        var (owner, email, staff) = await TeamWithStaffAsync("Staff Api Dental");
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/bookings")).StatusCode);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.AsUserAsync(owner.TenantId, email,
            sp => sp.GetRequiredService<TeamService>().InviteAsync("x@staff.example", Roles.BusinessOwner, "http://localhost/", CancellationToken.None)));
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == owner.Email).Select(u => u.Id).SingleAsync());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.AsUserAsync(owner.TenantId, email,
            async sp => { await sp.GetRequiredService<TeamService>().RemoveAsync(ownerId, CancellationToken.None); return 0; }));
    }

    [Fact]
    public async Task ChangeRole_EndsTheMembersSessions_AndTheNewRoleApplies()
    {
        var (owner, email, staff) = await TeamWithStaffAsync("Promote Dental");
        var staffId = await app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp => { await sp.GetRequiredService<TeamService>().ChangeRoleAsync(staffId, Roles.BusinessOwner, CancellationToken.None); return 0; });

        var old = await staff.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Contains("/Account/Login", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var again = await app.SignInAsync(email, StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/settings")).StatusCode);
        var view = await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().GetAsync(CancellationToken.None));
        Assert.Equal(2, view.Members.Count(m => m.Role == Roles.BusinessOwner));
    }

    [Fact]
    public async Task Remove_EndsTheMembersSessions_AndTheyLoseTheBusiness()
    {
        var (owner, email, staff) = await TeamWithStaffAsync("Remove Dental");
        var staffId = await app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp => { await sp.GetRequiredService<TeamService>().RemoveAsync(staffId, CancellationToken.None); return 0; });

        Assert.Equal(HttpStatusCode.Redirect, (await staff.GetAsync("/conversations")).StatusCode);
        var again = await app.SignInAsync(email, StaffPassword);
        AssertRefused(await again.GetAsync("/conversations"), "/conversations");
        Assert.Null(await app.DbAsync(db => db.Users.Where(u => u.Id == staffId).Select(u => u.TenantId).SingleAsync()));
        var view = await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().GetAsync(CancellationToken.None));
        Assert.DoesNotContain(view.Members, m => m.Email == email);
    }

    [Fact]
    public async Task TheLastOwner_CannotBeDemotedOrRemoved()
    {
        var (owner, _, _) = await TeamWithStaffAsync("Last Owner Dental");
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == owner.Email).Select(u => u.Id).SingleAsync());
        var team = (Func<TeamService, Task> f) => app.AsUserAsync(owner.TenantId, owner.Email, async sp => { await f(sp.GetRequiredService<TeamService>()); return 0; });
        var demote = await Assert.ThrowsAsync<ArgumentException>(() => team(t => t.ChangeRoleAsync(ownerId, Roles.BusinessStaff, CancellationToken.None)));
        Assert.StartsWith("The business needs at least one owner", demote.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => team(t => t.RemoveAsync(ownerId, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignInAsync(owner.Email, owner.Password)).GetAsync("/settings/team")).StatusCode);
    }

    [Fact]
    public async Task TeamTab_ShowsMembersInvitationsAndThePermissionsTable()
    {
        var (owner, email, _) = await TeamWithStaffAsync("Team Tab Dental");
        var pending = $"{Guid.NewGuid():N}@pending.example";
        await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().InviteAsync(pending, Roles.BusinessStaff, "http://localhost/", CancellationToken.None));
        var html = WebUtility.HtmlDecode(await (await app.SignInAsync(owner.Email, owner.Password)).GetStringAsync("/settings/team"));
        Assert.Contains("permissions-table", html, StringComparison.Ordinal);
        Assert.Contains("Billing and plans", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains(pending, html, StringComparison.Ordinal);
    }
}
