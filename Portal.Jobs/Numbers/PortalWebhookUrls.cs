using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Portal.Data;

namespace Portal.Jobs.Numbers;

/// <summary>The voice webhook and status callback Portal wants on every pool number (Twilio <c>VoiceUrl</c>, <c>StatusCallback</c>, both POST).</summary>
/// <param name="VoiceUrl">Absolute URL of <c>POST /twilio/voice</c>.</param>
/// <param name="StatusCallbackUrl">Absolute URL of <c>POST /twilio/status</c>.</param>
public sealed record WebhookTargets(Uri VoiceUrl, Uri StatusCallbackUrl)
{
    /// <summary>Path of the voice webhook (Portal.Web <c>TwilioWebhookEndpoints</c>).</summary>
    public const string VoicePath = "/twilio/voice";

    /// <summary>Path of the status callback.</summary>
    public const string StatusPath = "/twilio/status";

    /// <summary>The targets under <paramref name="publicBase"/> (scheme, host and optional path prefix; query not allowed).</summary>
    /// <exception cref="ArgumentException"><paramref name="publicBase"/> is not an absolute http(s) URL.</exception>
    public static WebhookTargets For(Uri publicBase)
    {
        ArgumentNullException.ThrowIfNull(publicBase);
        if (!publicBase.IsAbsoluteUri || (publicBase.Scheme != Uri.UriSchemeHttp && publicBase.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The public base URL must be absolute http(s).", nameof(publicBase));
        }

        var root = publicBase.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new WebhookTargets(new Uri(root + VoicePath), new Uri(root + StatusPath));
    }
}

/// <summary>
/// Decides which <see cref="WebhookTargets"/> pool numbers should have. <c>Telephony:PublicBaseUrl</c>
/// when configured (the origin Twilio calls); otherwise the URLs the latest purchase batch used (the
/// buy page records the admin's own origin), since a background job has no request to look at.
/// </summary>
public sealed class PortalWebhookUrls(IConfiguration configuration, IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>Configuration key of the public origin.</summary>
    public const string PublicBaseUrlKey = "Telephony:PublicBaseUrl";

    /// <summary>Targets from configuration only; null when <c>Telephony:PublicBaseUrl</c> is not set.</summary>
    public WebhookTargets? Configured() =>
        Uri.TryCreate(configuration[PublicBaseUrlKey], UriKind.Absolute, out var url) ? WebhookTargets.For(url) : null;

    /// <summary>Targets for a request served at <paramref name="requestBase"/>: the configured public origin wins.</summary>
    public WebhookTargets ForRequest(Uri requestBase) => Configured() ?? WebhookTargets.For(requestBase);

    /// <summary>The expected targets for reconciliation, or null when neither configuration nor any purchase batch says.</summary>
    public async Task<WebhookTargets?> ExpectedAsync(CancellationToken cancellationToken)
    {
        if (Configured() is { } configured)
        {
            return configured;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.NumberPurchaseBatches.AsNoTracking().OrderByDescending(b => b.CreatedAt)
            .Select(b => new { b.VoiceUrl, b.StatusCallbackUrl }).FirstOrDefaultAsync(cancellationToken);
        return latest is not null && Uri.TryCreate(latest.VoiceUrl, UriKind.Absolute, out var voice) && Uri.TryCreate(latest.StatusCallbackUrl, UriKind.Absolute, out var status)
            ? new WebhookTargets(voice, status)
            : null;
    }
}
