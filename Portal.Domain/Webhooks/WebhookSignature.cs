using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Secrets and signatures of the Standard Webhooks specification
/// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme):
/// a secret is <c>whsec_</c> + base64 of 24–64 random bytes; the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>; the signature header is <c>v1,</c> + base64(HMAC-SHA256(secret bytes, content)),
/// several space-separated when secrets rotate.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Prefix of every secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new message id for <c>webhook-id</c>: <c>msg_</c> + 32 lower-case hex digits.</summary>
    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N");

    /// <summary>The <c>webhook-signature</c> value for one message.</summary>
    /// <param name="secret">The endpoint's secret, with or without the <c>whsec_</c> prefix.</param>
    /// <param name="messageId">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header: Unix seconds.</param>
    /// <param name="body">The exact request body (UTF-8).</param>
    /// <returns><c>v1,</c> + base64 signature.</returns>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
