namespace Portal.Telephony;

/// <summary>
/// What the caller of one Twilio SDK call wants the transport to know: a readable name for messages, whether
/// repeating the request is harmless, and the caller's cancellation. The Twilio SDK takes no
/// <see cref="CancellationToken"/> and no per-request options, so <see cref="TwilioTelephonyProvider"/> sets this
/// ambient value (an <see cref="AsyncLocal{T}"/>, flowing only down its own async call) and
/// <see cref="TwilioTransportHandler"/> reads it.
/// </summary>
/// <param name="Operation">Human words for error messages, e.g. <c>buy +14155550123</c>.</param>
/// <param name="Idempotent">True when sending twice leaves the same state (GET, DELETE, setting absolute values).</param>
/// <param name="CancellationToken">The caller's token; cancels the attempt and any retry wait.</param>
public sealed record TwilioRequestScope(string Operation, bool Idempotent, CancellationToken CancellationToken)
{
    private static readonly AsyncLocal<TwilioRequestScope?> Ambient = new();

    /// <summary>The scope of the current async flow, or null outside <see cref="TwilioTelephonyProvider"/>.</summary>
    public static TwilioRequestScope? Current
    {
        get => Ambient.Value;
        internal set => Ambient.Value = value;
    }
}
