using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Numbers;

namespace Portal.Web.Components.Pages.Conversations.Components;

/// <summary>Labels, colours and icons for conversation channels and outcomes, shared by the dashboard and conversation pages.</summary>
public static class ConversationDisplay
{
    /// <summary>"Voice", "Web chat", "Test".</summary>
    public static string Label(Channel channel) => channel switch
    {
        Channel.WebChat => "Web chat",
        _ => channel.ToString(),
    };

    /// <summary>The channel as the owner reads it, tests named as such: "Test call" (browser test call), "Test chat" (console), else <see cref="Label(Channel)"/>.</summary>
    public static string Label(Channel channel, bool isTest) => (channel, isTest) switch
    {
        (Channel.Voice, true) => "Test call",
        (Channel.Test, _) or (_, true) => "Test chat",
        _ => Label(channel),
    };

    /// <summary>Icon of a channel.</summary>
    public static string Icon(Channel channel) => channel switch
    {
        Channel.Voice => Icons.Material.Filled.Phone,
        Channel.WebChat => Icons.Material.Filled.Chat,
        _ => Icons.Material.Filled.Science,
    };

    /// <summary>"Message taken", "In progress"...</summary>
    public static string Label(ConversationOutcome outcome) => outcome switch
    {
        ConversationOutcome.InProgress => "In progress",
        ConversationOutcome.MessageTaken => "Message taken",
        _ => outcome.ToString(),
    };

    /// <summary>Chip colour of an outcome: green for bookings, amber for work left, grey otherwise.</summary>
    public static Color Color(ConversationOutcome outcome) => outcome switch
    {
        ConversationOutcome.Booked or ConversationOutcome.Rescheduled => MudBlazor.Color.Success,
        ConversationOutcome.InProgress => MudBlazor.Color.Info,
        ConversationOutcome.MessageTaken or ConversationOutcome.Transferred => MudBlazor.Color.Warning,
        ConversationOutcome.Cancelled or ConversationOutcome.Abandoned or ConversationOutcome.Failed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    /// <summary>Customer name, else phone, else "Unknown caller".</summary>
    public static string Customer(string? name, string? phone) =>
        !string.IsNullOrWhiteSpace(name) ? name
        : !string.IsNullOrWhiteSpace(phone) ? E164.Display(phone)
        : "Unknown caller";

    /// <summary>"4m 05s", "45s", or "ongoing" when not ended.</summary>
    public static string Duration(DateTimeOffset started, DateTimeOffset? ended)
    {
        if (ended is not { } end)
        {
            return "ongoing";
        }

        var span = end - started;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalMinutes >= 1
            ? $"{(int)span.TotalMinutes}m {span.Seconds:00}s"
            : $"{span.Seconds}s";
    }
}
