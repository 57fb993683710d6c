using Microsoft.AspNetCore.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Identity;

namespace Portal.Web.Accounts;

/// <summary>The signed-in user's profile as shown on Settings → Profile.</summary>
public sealed record AccountProfileView(Guid Id, string DisplayName, string Email, bool EmailConfirmed);

/// <summary>
/// Reads and edits the signed-in user's own profile from interactive pages. Each call uses a fresh scope (and so a
/// fresh <see cref="UserManager{TUser}"/> and DbContext), because a Blazor Server circuit outlives a request.
/// </summary>
public sealed class AccountProfile(ICurrentUser currentUser, IServiceScopeFactory scopes)
{
    /// <summary>The current user's profile, or null when nobody is signed in.</summary>
    public async Task<AccountProfileView?> GetAsync(CancellationToken cancellationToken)
    {
        if (await currentUser.GetAsync(cancellationToken) is not { } actor)
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(actor.UserId.ToString());
        return user is null ? null : new AccountProfileView(user.Id, user.DisplayName, user.Email ?? "", user.EmailConfirmed);
    }

    /// <summary>Changes the current user's display name.</summary>
    /// <param name="displayName">1–80 characters after trimming.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="ArgumentException">Empty or longer than 80 characters; nothing changes.</exception>
    /// <exception cref="InvalidOperationException">Nobody is signed in, or the save failed.</exception>
    public async Task SetDisplayNameAsync(string displayName, CancellationToken cancellationToken)
    {
        displayName = (displayName ?? "").Trim();
        if (displayName.Length is 0 or > 80)
        {
            throw new ArgumentException("Your name must be 1 to 80 characters.", nameof(displayName));
        }

        var actor = await currentUser.GetAsync(cancellationToken) ?? throw new InvalidOperationException("Nobody is signed in.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString()) ?? throw new InvalidOperationException("The signed-in user no longer exists.");
        user.DisplayName = displayName;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
