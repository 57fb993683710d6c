using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Webhooks;

/// <summary>Outbound webhook settings (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Webhooks";

    /// <summary>
    /// Allows <c>http://</c> receivers on loopback addresses (127.0.0.0/8, ::1). For tests and Development only: the app
    /// refuses to start with it elsewhere. Every other private or reserved address stays refused.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Seconds one attempt may take before it counts as failed (1–60, default 10).</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Hours after the event during which failed deliveries are retried (default 24).</summary>
    [Range(1, 72)]
    public int RetryWindowHours { get; set; } = 24;

    /// <summary>Days of uninterrupted failure after which an endpoint is disabled and the owner told (default 3).</summary>
    [Range(1, 30)]
    public int DisableAfterDays { get; set; } = 3;
}

/// <summary>Checks that a receiver URL may be called (the SSRF guard); implemented where the network guard lives.</summary>
public interface IWebhookUrlChecker
{
    /// <summary>Null when <paramref name="url"/> may be called, else a message for the owner.</summary>
    /// <param name="url">An absolute URL.</param>
    /// <param name="cancellationToken">Cancels name resolution.</param>
    Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken);
}
