using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Data.Identity;
using Portal.Domain.Notifications;

namespace Portal.Web.Accounts;

/// <summary>Outbox categories of account emails.</summary>
public static class AccountEmailCategories
{
    /// <summary>Confirm an email address.</summary>
    public const string Confirm = "account.confirm";

    /// <summary>Reset a forgotten password.</summary>
    public const string PasswordReset = "account.password-reset";

    /// <summary>Someone tried to register with an address that already has an account.</summary>
    public const string AlreadyRegistered = "account.already-registered";

    /// <summary>Confirm a new email address (change of email).</summary>
    public const string ChangeEmail = "account.change-email";
}

/// <summary>
/// Writes the account emails (confirmation, password reset, "you already have an account", change of email)
/// with their one-time links, through <see cref="IOutbox"/>: in keyless mode they are stored and shown on the
/// admin outbox page with clickable links. Tokens come from Identity's default token providers and are
/// Base64Url-encoded in the link as in the ASP.NET Core Identity template.
/// </summary>
public sealed class AccountMailer(UserManager<PortalUser> userManager, IOutbox outbox)
{
    /// <summary>Sends the confirm-your-email link to a new account.</summary>
    /// <param name="user">The saved user.</param>
    /// <param name="baseUri">Absolute base URI of the site, ending with <c>/</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SendConfirmationAsync(PortalUser user, string baseUri, CancellationToken cancellationToken)
    {
        var token = Encode(await userManager.GenerateEmailConfirmationTokenAsync(user));
        var link = $"{baseUri}Account/ConfirmEmail?userId={user.Id}&code={token}";
        await outbox.SendEmailAsync(user.Email!, "Confirm your Portal account",
            $"Welcome to Portal, {user.DisplayName}.\n\nConfirm your email address by opening this link:\n{link}\n\nIf you did not create an account, ignore this email.",
            AccountEmailCategories.Confirm, user.TenantId, cancellationToken);
    }

    /// <summary>Tells the owner of an existing account that someone tried to register with their address.</summary>
    public Task SendAlreadyRegisteredAsync(PortalUser user, string baseUri, CancellationToken cancellationToken) =>
        outbox.SendEmailAsync(user.Email!, "You already have a Portal account",
            $"Someone (perhaps you) tried to create a Portal account with this email address, which already has one.\n\nSign in: {baseUri}Account/Login\nForgot your password? {baseUri}Account/ForgotPassword\n\nIf it was not you, you can ignore this email.",
            AccountEmailCategories.AlreadyRegistered, user.TenantId, cancellationToken);

    /// <summary>Sends a one-time password-reset link.</summary>
    public async Task SendPasswordResetAsync(PortalUser user, string baseUri, CancellationToken cancellationToken)
    {
        var token = Encode(await userManager.GeneratePasswordResetTokenAsync(user));
        var link = $"{baseUri}Account/ResetPassword?email={UrlEncoder.Default.Encode(user.Email!)}&code={token}";
        await outbox.SendEmailAsync(user.Email!, "Reset your Portal password",
            $"To choose a new password, open this link:\n{link}\n\nIf you did not ask for this, ignore this email; your password stays as it is.",
            AccountEmailCategories.PasswordReset, user.TenantId, cancellationToken);
    }

    /// <summary>Sends the confirm-your-new-email link to <paramref name="newEmail"/>.</summary>
    public async Task SendChangeEmailAsync(PortalUser user, string newEmail, string baseUri, CancellationToken cancellationToken)
    {
        var token = Encode(await userManager.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = $"{baseUri}Account/ConfirmEmailChange?userId={user.Id}&email={UrlEncoder.Default.Encode(newEmail)}&code={token}";
        await outbox.SendEmailAsync(newEmail, "Confirm your new Portal email address",
            $"Open this link to use this address for your Portal account:\n{link}",
            AccountEmailCategories.ChangeEmail, user.TenantId, cancellationToken);
    }

    /// <summary>Decodes a token taken from a link; null when it is not valid Base64Url.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));
}
