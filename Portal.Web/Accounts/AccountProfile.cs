using Microsoft.AspNetCore.Identity;
using Portal.Data.Identity;
using Portal.Domain.Audit;

namespace Portal.Web.Accounts;

/// <summary>The signed-in user's profile as shown on Settings → Profile.</summary>
public sealed record AccountProfileView(Guid Id, string DisplayName, string Email, bool EmailConfirmed, string? MobilePhone);

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
        return user is null ? null : new AccountProfileView(user.Id, user.DisplayName, user.Email ?? "", user.EmailConfirmed, user.PhoneNumber);
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

    /// <summary>Sets the current user's mobile number for SMS notifications, or clears it.</summary>
    /// <param name="phone">A number in E.164 ("+14155550123") or national US form; empty clears it.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="ArgumentException">Not a phone number; nothing changes.</exception>
    /// <exception cref="InvalidOperationException">Nobody is signed in, or the save failed.</exception>
    public async Task<string?> SetMobilePhoneAsync(string? phone, CancellationToken cancellationToken)
    {
        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            e164 = Portal.Domain.Numbers.E164.TryNormalize(phone.Trim())
                ?? throw new ArgumentException("Enter a mobile number such as +1 415 555 0123.", nameof(phone));
        }

        var actor = await currentUser.GetAsync(cancellationToken) ?? throw new InvalidOperationException("Nobody is signed in.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString()) ?? throw new InvalidOperationException("The signed-in user no longer exists.");
        var result = await users.SetPhoneNumberAsync(user, e164);
        return result.Succeeded ? e164 : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>
    /// Starts a change of the current user's email: a confirmation link goes to <paramref name="newEmail"/>, and the
    /// address changes only when it is opened (then every session ends). When another account already uses the
    /// address, that address is told so instead (the answer here is the same, so accounts cannot be enumerated).
    /// </summary>
    /// <param name="newEmail">One address, at most 256 characters, different from the current one.</param>
    /// <param name="baseUri">Absolute base URI of the site, ending with <c>/</c>, for the link.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="ArgumentException">Malformed, too long or unchanged address; nothing is sent.</exception>
    /// <exception cref="InvalidOperationException">Nobody is signed in.</exception>
    public async Task RequestEmailChangeAsync(string newEmail, string baseUri, CancellationToken cancellationToken)
    {
        newEmail = (newEmail ?? "").Trim();
        if (newEmail.Length is 0 or > 256 || !System.Net.Mail.MailAddress.TryCreate(newEmail, out var parsed) || parsed.Address != newEmail)
        {
            throw new ArgumentException("Enter one valid email address.", nameof(newEmail));
        }

        var actor = await currentUser.GetAsync(cancellationToken) ?? throw new InvalidOperationException("Nobody is signed in.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var mailer = scope.ServiceProvider.GetRequiredService<AccountMailer>();
        var user = await users.FindByIdAsync(actor.UserId.ToString()) ?? throw new InvalidOperationException("The signed-in user no longer exists.");
        if (string.Equals(user.Email, newEmail, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("That is already your email address.", nameof(newEmail));
        }

        if (await users.FindByEmailAsync(newEmail) is { } other)
        {
            await mailer.SendAlreadyRegisteredAsync(other, baseUri, cancellationToken);
            return;
        }

        await mailer.SendChangeEmailAsync(user, newEmail, baseUri, cancellationToken);
    }
}
