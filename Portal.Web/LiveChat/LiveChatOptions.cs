using System.ComponentModel.DataAnnotations;

namespace Portal.Web.LiveChat;

/// <summary>Limits of the website chat widget (<c>LiveChat</c> section). Counts are per fixed one-minute window.</summary>
public sealed class LiveChatOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "LiveChat";

    /// <summary>Messages one visitor (conversation) may send per minute.</summary>
    [Range(1, 100_000)]
    public int MessagesPerVisitorPerMinute { get; set; } = 20;

    /// <summary>Messages one client IP address may send per minute, over all its visitors.</summary>
    [Range(1, 1_000_000)]
    public int MessagesPerIpPerMinute { get; set; } = 120;

    /// <summary>Widget connections (negotiations and WebSocket opens) one client IP address may start per minute.</summary>
    [Range(1, 1_000_000)]
    public int ConnectionsPerIpPerMinute { get; set; } = 60;
}
