using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.Teams;

namespace Portal.IntegrationTests.Accounts;

/// <summary>Inviting people, accepting through the emailed link, resend/revoke/expiry, and isolation between businesses.</summary>
public sealed class TeamInvitationTests(TeamAppFactory app) : IClassFixture<TeamAppFactory>
{
    private static string NewEmail() => $"{Guid.NewGuid():N}@staff.example";

    private Task<TeamInvitationView> InviteAsync(TestTenant owner, string email, string role = Roles.BusinessStaff) =>
        app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().InviteAsync(email, role, "http://localhost/", CancellationToken.None));

    private async Task<string> InvitationLinkAsync(string email)
    {
        var mail = (await app.OutboxToAsync(email)).First(m => m.Category == TeamService.InvitationCategory);
        return AccountsAppFactory.LinkIn(mail.Body);
    }

    private static Task<HttpResponseMessage> RegisterThroughLinkAsync(HttpClient browser, string link, string password = "Staff!Passw0rd") =>
        AccountsAppFactory.PostFormAsync(browser, link, "accept-register",
            new Dictionary<string, string> { ["Input.DisplayName"] = "Sam Staff", ["Input.Password"] = password });

    [Fact]
    public async Task Invite_EmailsALink_StoresOnlyItsHash_ValidSevenDays()
    {
        var owner = await app.CreateTenantAsync("Invite Dental");
        var email = NewEmail();
        var invitation = await InviteAsync(owner, email);

        var link = await InvitationLinkAsync(email);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var row = await app.DbAsync(db => db.TeamInvitations.IgnoreQueryFilters().SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal(owner.TenantId, row.TenantId);
        Assert.Equal(TeamService.Hash(token), row.TokenHash);
        Assert.DoesNotContain(token, Convert.ToBase64String(row.TokenHash), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(7), row.ExpiresAt - row.SentAt);
        var view = await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().GetAsync(CancellationToken.None));
        Assert.Contains(view.Invitations, i => i.Email == email && i.Status == InvitationStatus.Pending);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    public async Task Invite_BadEmail_IsRefused_AndNothingIsSent(string email)
    {
        var owner = await app.CreateTenantAsync("Bad Invite Dental");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => InviteAsync(owner, email));
        Assert.Equal("Enter one valid email address. (Parameter 'email')", error.Message);
        Assert.Equal(0, await app.DbAsync(db => db.TeamInvitations.IgnoreQueryFilters().CountAsync(i => i.TenantId == owner.TenantId)));
    }

    [Fact]
    public async Task Invite_TwiceOrAMember_IsRefused()
    {
        var owner = await app.CreateTenantAsync("Twice Dental");
        var email = NewEmail();
        await InviteAsync(owner, email);
        await Assert.ThrowsAsync<ArgumentException>(() => InviteAsync(owner, email.ToUpperInvariant()));
        await Assert.ThrowsAsync<ArgumentException>(() => InviteAsync(owner, owner.Email));
    }

    [Fact]
    public async Task Accept_WithANewAccount_JoinsAsStaff_AndSignsIn()
    {
        var owner = await app.CreateTenantAsync("Accept Dental");
        var email = NewEmail();
        await InviteAsync(owner, email);
        var browser = app.Browser();
        var link = await InvitationLinkAsync(email);

        var page = await browser.GetStringAsync(link);
        Assert.Contains("Accept Dental", page, StringComparison.Ordinal);
        Assert.Contains("a staff member", page, StringComparison.Ordinal);
        var accepted = await RegisterThroughLinkAsync(browser, link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(owner.TenantId, user.TenantId);
        Assert.True(user.EmailConfirmed);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/conversations")).StatusCode);
        // The link is used up.
        Assert.Contains("already been used", await app.Browser().GetStringAsync(link), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_WithAnExistingAccount_SignInThenAccept()
    {
        var owner = await app.CreateTenantAsync("Existing Accept Dental");
        var email = NewEmail();
        var browser = app.Browser();
        await AccountsAppFactory.PostFormAsync(browser, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Kim Existing", ["Input.Email"] = email, ["Input.Password"] = "Exist!Passw0rd",
        });
        await InviteAsync(owner, email);
        var link = await InvitationLinkAsync(email);

        var anonymous = await app.Browser().GetStringAsync(link);
        Assert.Contains("Sign in to accept", anonymous, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(browser, email, "Exist!Passw0rd")).StatusCode);
        var accept = await AccountsAppFactory.PostFormAsync(browser, link, "accept-invitation", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(owner.TenantId, user.TenantId);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/bookings")).StatusCode);
        // Registered as a would-be owner; the invitation made them staff only.
        Assert.NotEqual(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task Resend_KillsTheOldLink_Revoke_KillsTheLink_Expired_IsRefused()
    {
        var owner = await app.CreateTenantAsync("Resend Dental");
        var team = (Func<IServiceProvider, Task<int>> f) => app.AsUserAsync(owner.TenantId, owner.Email, f);
        var email = NewEmail();
        var invitation = await InviteAsync(owner, email);
        var first = await InvitationLinkAsync(email);
        await team(async sp => { await sp.GetRequiredService<TeamService>().ResendAsync(invitation.Id, "http://localhost/", CancellationToken.None); return 0; });
        var second = await InvitationLinkAsync(email);
        Assert.NotEqual(first, second);
        Assert.Contains("not valid", await app.Browser().GetStringAsync(first), StringComparison.Ordinal);
        Assert.Contains("Create your account to accept", await app.Browser().GetStringAsync(second), StringComparison.Ordinal);

        await app.DbAsync(db => db.TeamInvitations.IgnoreQueryFilters().Where(i => i.Id == invitation.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Contains("has expired", await app.Browser().GetStringAsync(second), StringComparison.Ordinal);
        // The page offers no form for an expired link, so a forged post is refused too.
        var expired = await RegisterThroughLinkAsync(app.Browser(), second);
        Assert.NotEqual(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        await team(async sp => { await sp.GetRequiredService<TeamService>().ResendAsync(invitation.Id, "http://localhost/", CancellationToken.None); return 0; });
        var third = await InvitationLinkAsync(email);
        await team(async sp => { await sp.GetRequiredService<TeamService>().RevokeAsync(invitation.Id, CancellationToken.None); return 0; });
        Assert.Contains("withdrawn", await app.Browser().GetStringAsync(third), StringComparison.Ordinal);
        var view = await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().GetAsync(CancellationToken.None));
        Assert.Empty(view.Invitations);
    }

    [Fact]
    public async Task Isolation_OwnerA_CannotSeeRevokeResendOrAccept_BsInvitations()
    {
        var a = await app.CreateTenantAsync("Iso Team A");
        var b = await app.CreateTenantAsync("Iso Team B");
        var email = NewEmail();
        var bInvite = await InviteAsync(b, email);

        var aView = await app.AsUserAsync(a.TenantId, a.Email, sp => sp.GetRequiredService<TeamService>().GetAsync(CancellationToken.None));
        Assert.DoesNotContain(aView.Invitations, i => i.Id == bInvite.Id || i.Email == email);
        Assert.DoesNotContain(aView.Members, m => m.Email == b.Email);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.AsUserAsync(a.TenantId, a.Email,
            async sp => { await sp.GetRequiredService<TeamService>().RevokeAsync(bInvite.Id, CancellationToken.None); return 0; }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.AsUserAsync(a.TenantId, a.Email,
            async sp => { await sp.GetRequiredService<TeamService>().ResendAsync(bInvite.Id, "http://localhost/", CancellationToken.None); return 0; }));
        // A member of B cannot be changed or removed by A's owner.
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.AsUserAsync(a.TenantId, a.Email, async sp =>
        {
            var bOwner = await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(b.Email);
            await sp.GetRequiredService<TeamService>().RemoveAsync(bOwner!.Id, CancellationToken.None);
            return 0;
        }));

        // A's owner, signed in, opens B's link: refused (wrong address, and already in a business); nothing changes.
        var link = await InvitationLinkAsync(email);
        var browser = await app.SignInAsync(a.Email, a.Password);
        var accept = await AccountsAppFactory.PostFormAsync(browser, link, "accept-invitation", new Dictionary<string, string>());
        Assert.Contains($"This invitation is for {email}", WebUtility.HtmlDecode(await accept.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(a.TenantId, await app.DbAsync(db => db.Users.Where(u => u.Email == a.Email).Select(u => u.TenantId).SingleAsync()));
        Assert.Null(await app.DbAsync(db => db.TeamInvitations.IgnoreQueryFilters().Where(i => i.Id == bInvite.Id).Select(i => i.AcceptedAt).SingleAsync()));
    }
}
