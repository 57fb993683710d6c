using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Domain.Observability;

/// <summary>
/// The app's own traces and metrics, on <see cref="System.Diagnostics"/> only (the OpenTelemetry SDK is wired in
/// Portal.Web, which subscribes to <see cref="SourceName"/> and <see cref="MeterName"/>). Span names: <c>call</c> (one
/// phone or browser call), <c>turn</c> with children <c>recognition</c>, <c>dialogue</c>, <c>synthesis</c>,
/// <c>first_frame</c> (one spoken reply), <c>dialogue.turn</c> (one turn through the conversation service, any channel).
/// Names and units follow the OpenTelemetry semantic conventions for instrument naming:
/// https://opentelemetry.io/docs/specs/semconv/general/metrics/.
/// </summary>
public static class PortalTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string SourceName = "Portal";

    /// <summary>Name of the meter (same as <see cref="SourceName"/>).</summary>
    public const string MeterName = SourceName;

    /// <summary>Tag: the tenant's id (a GUID string).</summary>
    public const string TenantTag = "portal.tenant_id";

    /// <summary>Tag: the conversation's id (a GUID string).</summary>
    public const string ConversationTag = "portal.conversation_id";

    /// <summary>Tag: the Twilio CallSid of a phone call.</summary>
    public const string CallSidTag = "portal.call_sid";

    /// <summary>Tag: which engine answered a turn (<c>model</c>, <c>offline</c>, <c>fallback</c>).</summary>
    public const string EngineTag = "portal.engine";

    /// <summary>Tag: the conversation's channel (<c>Chat</c>, <c>Voice</c>, ...).</summary>
    public const string ChannelTag = "portal.channel";

    /// <summary>The source of every Portal span.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The meter of every Portal instrument.</summary>
    public static readonly Meter Meter = new(MeterName);

    /// <summary><c>portal.calls.active</c>: calls whose media stream is open right now (+1 at the stream's start, -1 at its end).</summary>
    public static readonly UpDownCounter<long> ActiveCalls = Meter.CreateUpDownCounter<long>("portal.calls.active", "{call}", "Calls whose media stream is open.");

    /// <summary><c>portal.turn.duration</c>: milliseconds from a caller's utterance reaching the conversation service to the stored reply, tagged with engine and channel.</summary>
    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>("portal.turn.duration", "ms", "Time to process one conversation turn.");

    /// <summary><c>portal.webhook.duration</c>: milliseconds to answer one <c>/twilio/*</c> webhook, tagged with its path and status code.</summary>
    public static readonly Histogram<double> WebhookDuration = Meter.CreateHistogram<double>("portal.webhook.duration", "ms", "Time to answer one telephony webhook.");

    /// <summary><c>portal.jobs.failed</c>: background jobs that ended in the Failed state (retries exhausted), tagged with the job type.</summary>
    public static readonly Counter<long> JobsFailed = Meter.CreateCounter<long>("portal.jobs.failed", "{job}", "Background jobs that failed for good.");
}
