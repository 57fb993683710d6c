using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Identity;
using Portal.Web.Components.Shared;
using Portal.Web.Teams;

namespace Portal.Web.Components.Pages.Settings.Components;

/// <summary>Settings → Team: invite (email link), resend or revoke invitations, change roles, remove members, and the
/// table of what owners and staff may do (the same split the authorization policies enforce).</summary>
public partial class TeamTab
{
    /// <summary>What each role may do, in the order the table shows it: (what, whether staff may).</summary>
    internal static readonly IReadOnlyList<(string What, bool Staff)> Permissions =
    [
        ("See the dashboard and ask questions of the data", true),
        ("Read conversations and calls, take over a chat", true),
        ("See bookings and handle messages", true),
        ("Talk to the agent in the browser", true),
        ("Change the agent and its knowledge", false),
        ("Change the business details, hours and services", false),
        ("Billing and plans", false),
        ("Team, API keys, webhooks and notifications", false),
    ];

    private TeamView? _team;
    private MudForm? _form;
    private string? _email;
    private string _role = Roles.BusinessStaff;
    private string? _error;
    private string? _formError;
    private bool _busy;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TeamService Team { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private static string RoleName(string role) => role == Roles.BusinessOwner ? "Owner" : "Staff";

    private async Task LoadAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _team = await Team.GetAsync(CancellationToken.None);
        }, "The team could not be loaded.");
    }

    private async Task InviteAsync()
    {
        _formError = null;
        await _form!.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }

        _busy = true;
        try
        {
            var sent = await Team.InviteAsync(_email ?? "", _role, Navigation.BaseUri, CancellationToken.None);
            Snackbar.Add($"Invitation sent to {sent.Email}.", Severity.Success);
            // A cleared form, not a cleared field: clearing only the bound value left "Enter their email." on show.
            await _form.ResetAsync();
            _role = Roles.BusinessStaff;
            await LoadAsync();
        }
        catch (Exception ex) when (ex is ArgumentException or UnauthorizedAccessException)
        {
            _formError = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private Task ResendAsync(TeamInvitationView invitation) => RunAsync(
        () => Team.ResendAsync(invitation.Id, Navigation.BaseUri, CancellationToken.None), $"Sent again to {invitation.Email}; the old link no longer works.");

    private async Task RevokeAsync(TeamInvitationView invitation)
    {
        if (await Dialogs.ShowMessageBoxAsync("Revoke invitation", $"Revoke the invitation for {invitation.Email}? The link stops working at once.", yesText: "Revoke", cancelText: "Cancel") == true)
        {
            await RunAsync(() => Team.RevokeAsync(invitation.Id, CancellationToken.None), "Invitation revoked.");
        }
    }

    private Task ChangeRoleAsync(TeamMember member, string role) => RunAsync(
        () => Team.ChangeRoleAsync(member.UserId, role, CancellationToken.None), $"{member.DisplayName} is now {RoleName(role).ToLowerInvariant()}; they sign in again to use it.");

    private async Task RemoveAsync(TeamMember member)
    {
        if (await Dialogs.ShowMessageBoxAsync("Remove from team", $"Remove {member.DisplayName} ({member.Email})? They are signed out at once and lose access to the business.", yesText: "Remove", cancelText: "Cancel") == true)
        {
            await RunAsync(() => Team.RemoveAsync(member.UserId, CancellationToken.None), $"{member.DisplayName} was removed.");
        }
    }

    private async Task RunAsync(Func<Task> action, string done)
    {
        try
        {
            await action();
            Snackbar.Add(done, Severity.Success);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or UnauthorizedAccessException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }

        await LoadAsync();
    }
}
