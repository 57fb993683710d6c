using Microsoft.AspNetCore.Identity;
using Portal.Data.Identity;

namespace Portal.Web.Accounts;

/// <summary>Outcome of <see cref="AccountSignIn.PasswordSignInAsync"/>.</summary>
public enum SignInOutcome
{
    /// <summary>Signed in.</summary>
    Succeeded,
    /// <summary>Password right; the account needs its authenticator code next.</summary>
    RequiresTwoFactor,
    /// <summary>Wrong email or password (the same answer whether or not the account exists).</summary>
    Failed,
    /// <summary>Too many attempts for this account from this address; try again later.</summary>
    Throttled,
}

/// <summary>
/// Password sign-in that answers the same way, in about the same time, for known and unknown accounts: an
/// unknown email still runs the password hasher (on a dummy hash), and Identity's account lockout is not used
/// (see <see cref="SignInThrottle"/>). OWASP Authentication cheat sheet, "Authentication and Error Messages":
/// https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html
/// </summary>
public sealed class AccountSignIn(
    SignInManager<PortalUser> signInManager,
    UserManager<PortalUser> userManager,
    IPasswordHasher<PortalUser> passwordHasher,
    SignInThrottle throttle)
{
    private static readonly PortalUser DummyUser = new() { UserName = "dummy@invalid", Email = "dummy@invalid" };
    private static string? _dummyHash;

    /// <summary>Checks the password and signs in (persistent cookie) when it is right.</summary>
    /// <param name="email">Email as typed (at most 256 characters; longer values simply fail).</param>
    /// <param name="password">Password as typed.</param>
    /// <param name="clientIp">Client address for the per-account throttle.</param>
    /// <returns>The outcome; never reveals whether the account exists.</returns>
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, string? clientIp)
    {
        if (!throttle.TryAcquire(email, clientIp))
        {
            return SignInOutcome.Throttled;
        }

        var user = email.Length <= 256 ? await userManager.FindByEmailAsync(email) : null;
        if (user is null)
        {
            // Same work as a real check so the response time does not tell that the account is unknown.
            _dummyHash ??= passwordHasher.HashPassword(DummyUser, Guid.NewGuid().ToString("N"));
            passwordHasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
            return SignInOutcome.Failed;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: false);
        return result.Succeeded ? SignInOutcome.Succeeded
            : result.RequiresTwoFactor ? SignInOutcome.RequiresTwoFactor
            : SignInOutcome.Failed;
    }
}
