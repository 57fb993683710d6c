using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Portal.Domain.Affiliates;

namespace Portal.Web.Public;

/// <summary>
/// The first-touch affiliate cookie (<see cref="Name"/>): the <see cref="AttributionTouch"/> of the first referral visit,
/// protected with Data Protection so a visitor cannot forge or edit it, expiring <see cref="AttributionRules.Window"/>
/// after that visit.
/// </summary>
public sealed class ReferralCookie(IDataProtectionProvider dataProtection)
{
    /// <summary>Cookie name.</summary>
    public const string Name = "portal_ref";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Affiliates.ReferralCookie.v1");

    /// <summary>The touch in the request's cookie, or null when absent, tampered with or unreadable.</summary>
    public AttributionTouch? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Cookies.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AttributionTouch>(_protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="touch"/>, expiring when its window ends.</summary>
    public void Write(HttpResponse response, AttributionTouch touch)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(touch);
        response.Cookies.Append(Name, _protector.Protect(JsonSerializer.Serialize(touch)), new CookieOptions
        {
            Expires = touch.At + AttributionRules.Window,
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
            Path = "/",
        });
    }
}

/// <summary>Sign-up links of the public site, carrying the visitor's referral code so attribution survives to registration.</summary>
public static class SignUp
{
    /// <summary>Registration path.</summary>
    public const string RegisterPath = "/Account/Register";

    /// <summary><c>/Account/Register</c>, with <c>?ref=</c> the live first-touch code of this visitor when there is one.</summary>
    public static string Url(HttpContext? context)
    {
        if (context is null)
        {
            return RegisterPath;
        }

        var touch = context.Items[ReferralTracking.CurrentTouchKey] as AttributionTouch
            ?? context.RequestServices.GetRequiredService<ReferralCookie>().Read(context.Request);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return touch is not null && AttributionRules.IsLive(touch, now)
            ? RegisterPath + "?ref=" + Uri.EscapeDataString(touch.Code)
            : RegisterPath;
    }
}
