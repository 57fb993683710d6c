namespace Portal.Domain.Webhooks;

/// <summary>
/// The events a business can subscribe an endpoint to. Names follow the Standard Webhooks convention of dotted,
/// lower-case <c>resource.action</c> types (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure).
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>A phone call reached the agent (data: the call).</summary>
    public const string CallStarted = "call.started";

    /// <summary>A phone call ended at the provider (data: the call with its duration and outcome).</summary>
    public const string CallCompleted = "call.completed";

    /// <summary>A chat or test conversation was ended (data: the conversation).</summary>
    public const string ConversationEnded = "conversation.ended";

    /// <summary>A booking was made by the agent, the API or an assistant (data: the booking).</summary>
    public const string BookingCreated = "booking.created";

    /// <summary>A booking moved to another time (data: the booking at its new time).</summary>
    public const string BookingRescheduled = "booking.rescheduled";

    /// <summary>A booking was cancelled (data: the booking).</summary>
    public const string BookingCancelled = "booking.cancelled";

    /// <summary>A caller left a message (data: the message).</summary>
    public const string MessageTaken = "message.taken";

    /// <summary>The agent could not answer a question from the knowledge base (data: the question).</summary>
    public const string KnowledgeGap = "knowledge.gap";

    /// <summary>A test event sent on request to one endpoint, whatever it subscribes to (data: the endpoint id and a note); not subscribable.</summary>
    public const string Test = "webhook.test";

    /// <summary>Every event type with a one-line description, in display order.</summary>
    public static readonly IReadOnlyList<(string Type, string Description)> All =
    [
        (CallStarted, "A phone call reached the agent"),
        (CallCompleted, "A phone call ended"),
        (ConversationEnded, "A chat or test conversation ended"),
        (BookingCreated, "A booking was made"),
        (BookingRescheduled, "A booking was moved"),
        (BookingCancelled, "A booking was cancelled"),
        (MessageTaken, "A caller left a message"),
        (KnowledgeGap, "The agent could not answer a question"),
    ];

    /// <summary>True for a known event type.</summary>
    public static bool IsKnown(string type) => All.Any(e => e.Type == type);
}
