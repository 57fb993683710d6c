using Portal.Data.Entities;

namespace Portal.Domain.Webhooks;

/// <summary>
/// The <c>data</c> objects of webhook payloads, one shape per resource, in the same field names as the REST API's
/// resources so a receiver can use one model for both. Times are UTC ISO 8601; money is integer cents.
/// </summary>
public static class WebhookData
{
    /// <summary>A call (a voice conversation): id, CallSid, numbers, status, duration in seconds, times and outcome.</summary>
    public static object Call(Conversation c) => new
    {
        id = c.Id,
        callSid = c.CallSid,
        from = c.FromNumber,
        to = c.ToNumber,
        status = c.CallStatus,
        durationSeconds = c.DurationSeconds,
        startedAt = c.StartedAt,
        endedAt = c.EndedAt,
        outcome = c.Outcome.ToString(),
        isTest = c.IsTest,
    };

    /// <summary>A conversation: id, channel, times, outcome, customer and turn count.</summary>
    public static object Conversation(Conversation c) => new
    {
        id = c.Id,
        channel = c.Channel.ToString(),
        startedAt = c.StartedAt,
        endedAt = c.EndedAt,
        outcome = c.Outcome.ToString(),
        customerName = c.CustomerName,
        customerPhone = c.CustomerPhone,
        turnCount = c.TurnCount,
        isTest = c.IsTest,
    };

    /// <summary>A booking: id, service, UTC start and end, customer, status, price in cents, conversation.</summary>
    public static object Booking(Booking b) => new
    {
        id = b.Id,
        serviceId = b.ServiceId,
        service = b.Service?.Name,
        startUtc = b.StartUtc,
        endUtc = b.EndUtc,
        customerName = b.CustomerName,
        customerPhone = b.CustomerPhone,
        status = b.Status.ToString(),
        priceCents = b.PriceCents,
        conversationId = b.ConversationId,
    };

    /// <summary>A caller's message: id, caller, body, conversation, time.</summary>
    public static object Message(CallerMessage m) => new
    {
        id = m.Id,
        callerName = m.CallerName,
        callerPhone = m.CallerPhone,
        body = m.Body,
        conversationId = m.ConversationId,
        createdAt = m.CreatedAt,
    };
}
