namespace Portal.Domain.Calls;

/// <summary>
/// The timings by which a call proves, in the database, that an instance still serves its media stream: the instance
/// that holds the stream touches the call's <c>updated_at</c> every <see cref="HeartbeatInterval"/>, and the
/// orphaned-calls job treats a call untouched for <see cref="StaleAfter"/> as having no live stream anywhere. Shared here
/// so the job (which closes calls) and the call pipeline (which keeps them open) agree without depending on each other.
/// </summary>
public static class CallLiveness
{
    /// <summary>How often an instance touches the calls it serves (20 s).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    /// <summary>A call not touched for this long has no live stream on any instance (2 min: six heartbeats missed).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
}
