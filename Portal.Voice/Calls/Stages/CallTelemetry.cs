using System.Collections;
using System.Diagnostics;
using Portal.Domain.Observability;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The call's traces (<see cref="PortalTelemetry"/>): tags on the <c>call</c> span once the call is known, and per spoken
/// engine reply a <c>turn</c> span with children <c>recognition</c> (end of speech → last final transcript),
/// <c>dialogue</c> (transcript → first reply token), <c>synthesis</c> (first token → first audio byte) and
/// <c>first_frame</c> (first audio byte → first frame on the wire). The turn's figures are measured as it plays
/// (<see cref="ReplyTiming"/>, the same ones stored as the turn's metrics), so its spans are written afterwards with those
/// start and end times rather than kept open across the stages' tasks.
/// </summary>
internal static class CallTelemetry
{
    /// <summary>Tags the call span with the CallSid, tenant and conversation once the call is set up.</summary>
    public static void TagCall(Activity? activity, string? callSid, MediaCallSetup setup)
    {
        activity?.SetTag(PortalTelemetry.CallSidTag, callSid);
        activity?.SetTag(PortalTelemetry.TenantTag, setup.TenantId?.ToString());
        activity?.SetTag(PortalTelemetry.ConversationTag, setup.ConversationId?.ToString());
    }

    /// <summary>Writes the <c>turn</c> span of an engine reply that has just played, with the child spans its figures allow.</summary>
    public static void RecordTurn(CallContext call, AgentReply reply, ReplyTiming timing)
    {
        if (!PortalTelemetry.Source.HasListeners())
        {
            return;
        }

        var now = call.Time.GetUtcNow();
        long nowTimestamp = call.Time.GetTimestamp();
        DateTimeOffset At(long timestamp) => now - call.Time.GetElapsedTime(timestamp, nowTimestamp);
        var u = reply.Utterance;
        long heardAt = reply.FinalTimestamp != 0 ? reply.FinalTimestamp : timing.Dispatched;
        // The recognizer's latency (end of speech → last final transcript, in stream time) ends when the transcript arrived.
        var recognition = u is null || reply.FinalTimestamp == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, u.FinalAtMs - u.EndMs));
        var turnStart = At(heardAt) - recognition;
        var parent = call.CallActivity?.Context ?? default;
        using var turn = PortalTelemetry.Source.StartActivity("turn", ActivityKind.Internal, parent, startTime: turnStart);
        if (turn is null)
        {
            return;
        }

        turn.SetTag(PortalTelemetry.ConversationTag, call.Setup?.ConversationId?.ToString());
        if (u is not null)
        {
            turn.SetTag("portal.recognition.confidence", u.Confidence);
            Child(turn, "recognition", turnStart, At(heardAt));
        }

        if (timing.FirstToken != 0)
        {
            Child(turn, "dialogue", At(heardAt), At(timing.FirstToken));
        }

        if (timing.FirstToken != 0 && timing.FirstByte != 0)
        {
            Child(turn, "synthesis", At(timing.FirstToken), At(timing.FirstByte));
        }

        if (timing.FirstByte != 0 && timing.FirstFrame != 0)
        {
            Child(turn, "first_frame", At(timing.FirstByte), At(timing.FirstFrame));
        }

        turn.SetEndTime(now.UtcDateTime);
    }

    private static void Child(Activity parent, string name, DateTimeOffset start, DateTimeOffset end)
    {
        using var child = PortalTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: start);
        child?.SetEndTime(Max(start, end).UtcDateTime);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// The call's structured log scope: <c>CallSid</c>, <c>TenantId</c> and <c>ConversationId</c>. Opened when the call loop
/// starts (so every task of the call inherits it) and filled in once the <c>start</c> message is accepted; log providers
/// read it as name/value pairs when a line is written (before the start it is empty).
/// </summary>
internal sealed class CallLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private volatile KeyValuePair<string, object?>[] _values = [];

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>Sets the call's identifiers (once the handler accepted the start).</summary>
    public void Fill(string? callSid, Guid? tenantId, Guid? conversationId) =>
        _values = [new("CallSid", callSid), new("TenantId", tenantId), new("ConversationId", conversationId)];

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(v => v.Key + ":" + v.Value));
}
