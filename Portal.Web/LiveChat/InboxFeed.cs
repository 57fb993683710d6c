using Portal.Domain.LiveChat;

namespace Portal.Web.LiveChat;

/// <summary>
/// In-process fan-out of live-chat events to open Inbox pages (Blazor circuits). Subscribers receive every tenant's events
/// and must keep only their own tenant's (<see cref="LiveChatEvent.TenantId"/>); the Inbox does.
/// </summary>
/// <remarks>REVIEW: one process only; several web servers would need a backplane (Redis, PostgreSQL LISTEN/NOTIFY).</remarks>
public sealed class InboxFeed
{
    /// <summary>Raised for every event, on the publisher's thread; handlers must not block.</summary>
    public event Action<LiveChatEvent>? Received;

    /// <summary>Raises <see cref="Received"/>.</summary>
    public void Publish(LiveChatEvent liveEvent) => Received?.Invoke(liveEvent);
}
