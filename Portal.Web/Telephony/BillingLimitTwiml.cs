using Portal.Billing;
using Portal.Data.Entities;
using Portal.Voice.Twilio;

namespace Portal.Web.Telephony;

/// <summary>
/// The TwiML a call hears when billing limits apply (<see cref="CallLimits"/>): never silence, never a carrier error —
/// a short polite message, then the business's own number (<c>&lt;Dial&gt;</c>) or a voicemail (<c>&lt;Record&gt;</c>,
/// https://www.twilio.com/docs/voice/twiml/record) posted to <see cref="RecordingAction"/>.
/// </summary>
public static class BillingLimitTwiml
{
    /// <summary>Where Twilio posts the finished voicemail.</summary>
    public const string RecordingAction = "/twilio/limited-voicemail";

    /// <summary>Longest voicemail, seconds.</summary>
    public const int MaxVoicemailSeconds = 120;

    /// <summary>The answer for a limited call.</summary>
    /// <param name="decision">A limited decision.</param>
    /// <returns>The TwiML.</returns>
    public static string Build(CallLimitDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Action == LimitAction.Forward && decision.ForwardTo is { } number
            ? PortalTwiml.SayThenDial(decision.Message, number, timeoutSeconds: 25)
            : PortalTwiml.SayThenRecordTo(decision.Message, RecordingAction, MaxVoicemailSeconds);
    }
}
