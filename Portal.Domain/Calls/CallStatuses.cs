namespace Portal.Domain.Calls;

/// <summary>
/// Twilio call statuses (https://www.twilio.com/docs/voice/api/call-resource; summary in docs/protocols/twilio.md) and the
/// order they move in, so a late or repeated status callback can be recognised and ignored.
/// </summary>
public static class CallStatuses
{
    /// <summary>queued.</summary>
    public const string Queued = "queued";

    /// <summary>initiated (sent by webhooks though the SDK enum lacks it).</summary>
    public const string Initiated = "initiated";

    /// <summary>ringing.</summary>
    public const string Ringing = "ringing";

    /// <summary>in-progress (the "answered" event).</summary>
    public const string InProgress = "in-progress";

    /// <summary>completed (terminal).</summary>
    public const string Completed = "completed";

    /// <summary>busy (terminal).</summary>
    public const string Busy = "busy";

    /// <summary>no-answer (terminal).</summary>
    public const string NoAnswer = "no-answer";

    /// <summary>failed (terminal).</summary>
    public const string Failed = "failed";

    /// <summary>canceled (terminal).</summary>
    public const string Canceled = "canceled";

    /// <summary>
    /// Position in the call lifecycle: queued 0, initiated 1, ringing 2, in-progress 3, any terminal
    /// status 4; -1 for an unknown value (case-insensitive).
    /// </summary>
    public static int Rank(string? status) => status?.ToLowerInvariant() switch
    {
        Queued => 0,
        Initiated => 1,
        Ringing => 2,
        InProgress => 3,
        Completed or Busy or NoAnswer or Failed or Canceled => 4,
        _ => -1,
    };

    /// <summary>True for the statuses after which a call never changes again.</summary>
    public static bool IsTerminal(string? status) => Rank(status) == 4;

    /// <summary>The canonical lower-case status, or null when <paramref name="status"/> is not a Twilio call status.</summary>
    public static string? Normalize(string? status) => Rank(status) < 0 ? null : status!.ToLowerInvariant();

    /// <summary>
    /// Whether a status callback should replace the stored status. A terminal status is final (a duplicate
    /// <c>completed</c> or a late <c>ringing</c> changes nothing). Otherwise, when both callbacks carry a
    /// Twilio <c>SequenceNumber</c> the higher one wins (Twilio: "order them by this"); without one, only a
    /// status further along the lifecycle wins. A status never moves backwards in rank either way.
    /// </summary>
    /// <param name="currentStatus">Stored status, or null when none yet.</param>
    /// <param name="currentSequence">Stored sequence number, or null.</param>
    /// <param name="newStatus">Incoming normalized status.</param>
    /// <param name="newSequence">Incoming sequence number, or null when the callback has none.</param>
    /// <returns>True to apply the incoming status.</returns>
    public static bool ShouldApply(string? currentStatus, int? currentSequence, string newStatus, int? newSequence)
    {
        if (currentStatus is null)
        {
            return true;
        }

        if (IsTerminal(currentStatus) || Rank(newStatus) < Rank(currentStatus))
        {
            return false;
        }

        return currentSequence is { } last && newSequence is { } next
            ? next > last
            : Rank(newStatus) > Rank(currentStatus);
    }
}
