using Portal.Data.Entities;

namespace Portal.Domain.LiveChat;

/// <summary>What happened in a live conversation (chat or SMS), as the Inbox and the visitor's widget are told.</summary>
public enum LiveChatEventKind
{
    /// <summary>The customer wrote.</summary>
    CustomerMessage,
    /// <summary>The agent replied (the whole reply; the visitor already saw it streamed).</summary>
    AgentMessage,
    /// <summary>A team member wrote.</summary>
    StaffMessage,
    /// <summary>A team member took the conversation over; <see cref="LiveChatEvent.Name"/> is who.</summary>
    TakenOver,
    /// <summary>The team member handed the conversation back to the agent.</summary>
    HandedBack,
    /// <summary>The customer (or the agent's hand-over intent) asked for a person.</summary>
    HandoverRequested,
    /// <summary>A new conversation started.</summary>
    Started,
    /// <summary>Who is viewing the conversation changed (<see cref="LiveChatEvent.Text"/> lists the names, comma-separated).</summary>
    Viewers,
}

/// <summary>One live-conversation event.</summary>
/// <param name="TenantId">Business.</param>
/// <param name="ConversationId">Conversation.</param>
/// <param name="Channel">Channel of the conversation.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Text">The message, or null.</param>
/// <param name="Name">Who wrote or acted (a team member's or the agent's name), or null.</param>
/// <param name="At">When (UTC).</param>
public sealed record LiveChatEvent(Guid TenantId, Guid ConversationId, Channel Channel, LiveChatEventKind Kind, string? Text, string? Name, DateTimeOffset At)
{
    /// <summary>True when the customer already received <see cref="Text"/> in the reply to their own message (the widget must not show it twice).</summary>
    public bool Direct { get; init; }
}

/// <summary>
/// Where live-conversation events go: the web layer implements it (the visitor's SignalR group and the staff Inbox).
/// Implementations must not throw for a listener that went away.
/// </summary>
public interface ILiveChatNotifier
{
    /// <summary>Publishes <paramref name="liveEvent"/>.</summary>
    Task PublishAsync(LiveChatEvent liveEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Sends an SMS on behalf of a business. The keyless default writes each part to the outbox; with Twilio configured, the
/// Messages API sends it (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
/// </summary>
public interface ISmsSender
{
    /// <summary>Sends <paramref name="body"/> (one segment-sized part; see <see cref="SmsSegments.Split"/>) from the business's number to <paramref name="to"/>.</summary>
    /// <exception cref="ArgumentException">A number that is not E.164, or an empty body.</exception>
    Task SendAsync(Guid tenantId, string from, string to, string body, CancellationToken cancellationToken);
}

/// <summary>The keyless <see cref="ISmsSender"/>: every part goes to the outbox (category <see cref="Category"/>).</summary>
public sealed class OutboxSmsSender(Notifications.IOutbox outbox) : ISmsSender
{
    /// <summary>Outbox category of SMS replies in conversations.</summary>
    public const string Category = "sms.reply";

    /// <inheritdoc />
    public Task SendAsync(Guid tenantId, string from, string to, string body, CancellationToken cancellationToken) =>
        outbox.SendSmsAsync(to, body, Category, tenantId, cancellationToken);
}
