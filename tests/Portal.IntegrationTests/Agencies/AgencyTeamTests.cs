using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Domain.Audit;
using Portal.IntegrationTests.Accounts;

namespace Portal.IntegrationTests.Agencies;

/// <summary>
/// The agency's team: an owner invites by email (through the outbox, a link to choose a password), the invitee signs
/// in as staff; staff cannot manage members (service and page); removing is audited, never the last owner, and never
/// across agencies.
/// </summary>
public sealed class AgencyTeamTests(AgencyAppFactory app) : IClassFixture<AgencyAppFactory>
{
    [Fact]
    public async Task Owner_InvitesStaffByEmail_TheLinkSetsAPassword_AndTheStaffMemberSignsIn()
    {
        var agency = await app.CreateAgencyAsync("Invite Agency");
        var email = $"{Guid.NewGuid():N}@staff.test";
        var invited = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().InviteAsync(email, "Sam Staff", AgencyRole.Staff, "http://localhost/", CancellationToken.None));
        Assert.True(invited.Invited);

        var team = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().ListAsync(CancellationToken.None));
        Assert.Equal(2, team.Count);
        var row = Assert.Single(team, m => m.Email == email);
        Assert.Equal((AgencyRole.Staff, true, false), (row.Role, row.Invited, row.IsYou));
        Assert.True(Assert.Single(team, m => m.UserId == agency.OwnerId).IsYou);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var mail = await db.OutboxMessages.SingleAsync(m => m.To == email && m.Category == AgencyTeam.InvitationCategory);
        Assert.Equal("Join Invite Agency", mail.Subject);
        Assert.Equal("Invite Agency", mail.FromName);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.AgencyMemberAdd && e.ActorUserId == agency.OwnerId && e.TargetId == invited.UserId.ToString()));

        // The invitee opens the link and chooses a password on the reset-password page, then signs in as staff.
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var link = AccountsAppFactory.LinkIn(mail.Body);
        var code = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)["code"]!;
        var reset = await AccountsAppFactory.PostFormAsync(browser, link, "reset-password",
            new Dictionary<string, string> { ["Input.Code"] = code, ["Input.Email"] = email, ["Input.Password"] = "Staff!New1pass" });
        Assert.Contains("Your password has been changed", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var staff = await app.SignInAsync(email, "Staff!New1pass");
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/agency/clients")).StatusCode);
        Assert.False(Assert.Single(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().ListAsync(CancellationToken.None)), m => m.Email == email).Invited);
    }

    [Fact]
    public async Task Staff_CannotInviteOrRemove_AndTheTeamPageIsRefused()
    {
        var agency = await app.CreateAgencyAsync("Staffed Agency");
        var email = $"{Guid.NewGuid():N}@staff.test";
        var staff = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().InviteAsync(email, null, AgencyRole.Staff, "http://localhost/", CancellationToken.None));
        await SetPasswordAsync(email);

        Task<T> AsStaff<T>(Func<AgencyTeam, Task<T>> act) => app.AsUserAsync(staff.UserId, email, [Roles.AgencyStaff], sp => act(sp.GetRequiredService<AgencyTeam>()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsStaff(t => t.InviteAsync($"{Guid.NewGuid():N}@x.test", null, AgencyRole.Owner, "http://localhost/", CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await AsStaff(async t => { await t.RemoveAsync(agency.OwnerId, CancellationToken.None); return 0; }));
        Assert.Equal(2, (await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().ListAsync(CancellationToken.None))).Count);

        using var browser = await app.SignInAsync(email, AgencyAppFactory.Password);
        var page = await browser.GetAsync("/agency/team");
        Assert.True(page.StatusCode is HttpStatusCode.Forbidden || page.Headers.Location?.ToString().Contains("AccessDenied", StringComparison.Ordinal) == true,
            $"{(int)page.StatusCode} {page.Headers.Location}");
        // Nor do they see the link to it.
        Assert.DoesNotContain("agency/team", await browser.GetStringAsync("/agency/clients"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_IsAudited_EndsAccess_NeverTheLastOwner_NeverAnotherAgencysMember()
    {
        var alpha = await app.CreateAgencyAsync("Remove Alpha");
        var beta = await app.CreateAgencyAsync("Remove Beta");
        var email = $"{Guid.NewGuid():N}@staff.test";
        var staff = await app.AsOwnerAsync(alpha, sp => sp.GetRequiredService<AgencyTeam>().InviteAsync(email, null, AgencyRole.Staff, "http://localhost/", CancellationToken.None));

        await Assert.ThrowsAsync<ArgumentException>(async () => await app.AsOwnerAsync(alpha, async sp => { await sp.GetRequiredService<AgencyTeam>().RemoveAsync(alpha.OwnerId, CancellationToken.None); return 0; }));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await app.AsOwnerAsync(beta, async sp => { await sp.GetRequiredService<AgencyTeam>().RemoveAsync(staff.UserId, CancellationToken.None); return 0; }));
        Assert.DoesNotContain(await app.AsOwnerAsync(beta, sp => sp.GetRequiredService<AgencyTeam>().ListAsync(CancellationToken.None)), m => m.Email == email);

        await app.AsOwnerAsync(alpha, async sp => { await sp.GetRequiredService<AgencyTeam>().RemoveAsync(staff.UserId, CancellationToken.None); return 0; });
        Assert.Single(await app.AsOwnerAsync(alpha, sp => sp.GetRequiredService<AgencyTeam>().ListAsync(CancellationToken.None)));
        Assert.Null(await app.AsUserAsync(staff.UserId, email, [], sp => sp.GetRequiredService<AgencyAccess>().FindAsync(CancellationToken.None)));
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.Empty(await users.GetRolesAsync((await users.FindByIdAsync(staff.UserId.ToString()))!));
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.AgencyMemberRemove && e.ActorUserId == alpha.OwnerId && e.TargetId == staff.UserId.ToString()));
    }

    private async Task SetPasswordAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        Assert.True((await users.AddPasswordAsync(user, AgencyAppFactory.Password)).Succeeded);
    }
}
