using System.Text;
using System.Text.Encodings.Web;
using QRCoder;

namespace Portal.Web.Accounts;

/// <summary>
/// What an authenticator app needs to enrol: the shared key (Base32, as Identity's authenticator token provider
/// stores it; TOTP per RFC 6238, https://www.rfc-editor.org/rfc/rfc6238) and an <c>otpauth://</c> URI in the Key Uri
/// Format (https://github.com/google/google-authenticator/wiki/Key-Uri-Format) drawn as a QR code (QRCoder).
/// </summary>
public static class AuthenticatorSetup
{
    /// <summary>Issuer shown in the app.</summary>
    public const string Issuer = "Portal";

    /// <summary>The key in groups of four lower-case characters, easier to type.</summary>
    public static string FormatKey(string unformattedKey)
    {
        var result = new StringBuilder();
        for (var i = 0; i < unformattedKey.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }

            result.Append(unformattedKey.AsSpan(i, Math.Min(4, unformattedKey.Length - i)));
        }

        return result.ToString().ToLowerInvariant();
    }

    /// <summary><c>otpauth://totp/Portal:email?secret=KEY&amp;issuer=Portal&amp;digits=6</c>.</summary>
    public static string AuthenticatorUri(string email, string unformattedKey) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(email)}?secret={unformattedKey}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6");

    /// <summary>The URI as an SVG QR code (error correction level Q), safe to inline: QRCoder draws only rectangles.</summary>
    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
