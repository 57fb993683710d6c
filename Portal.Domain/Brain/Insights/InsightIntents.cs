using System.Text.RegularExpressions;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Brain.Insights;

/// <summary>
/// The intent keys a <see cref="Portal.Data.Entities.ConversationInsight"/> stores, in order of importance, with their labels. Most
/// come from the intents the engine recognised on each caller turn (<see cref="Intent"/>); "price" is read from the words.
/// </summary>
public static class InsightIntents
{
    /// <summary>Booking an appointment.</summary>
    public const string Book = "book";

    /// <summary>Asking about prices.</summary>
    public const string Price = "price";

    /// <summary>Leaving a message or asking for a callback.</summary>
    public const string Message = "message";

    /// <summary>Asking for a person.</summary>
    public const string Human = "human";

    /// <summary>Every key, most important first.</summary>
    public static IReadOnlyList<string> All { get; } = [Book, "reschedule", "cancel", Price, "services", Message, Human, "hours", "location", "question"];

    private static readonly Regex PriceWords = new(@"\b(?:how much|price[sd]?|pricing|cost[s]?|charge[s]?|rates?|quote|fee[s]?|expensive|cheap(?:er|est)?|afford\w*)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking); // linear by construction: no timeout to trip on a busy machine

    /// <summary>"Booking an appointment", "Prices"… for a key; the key itself when unknown.</summary>
    public static string Label(string key) => key switch
    {
        Book => "Booking",
        "reschedule" => "Rescheduling",
        "cancel" => "Cancelling",
        Price => "Prices",
        "services" => "Services",
        Message => "Callback / message",
        Human => "Asked for a person",
        "hours" => "Opening hours",
        "location" => "Location",
        "question" => "Questions",
        _ => key,
    };

    /// <summary>True when <paramref name="text"/> asks about prices.</summary>
    public static bool MentionsPrice(string text) => PriceWords.IsMatch(text);

    /// <summary>The key of an engine intent name (<see cref="Intent"/> as stored on <see cref="Portal.Data.Entities.Turn.Intent"/>), or null for small talk.</summary>
    public static string? FromEngineIntent(string? intent) => Enum.TryParse<Intent>(intent, out var parsed) ? parsed switch
    {
        Intent.Book => Book,
        Intent.Reschedule => "reschedule",
        Intent.Cancel => "cancel",
        Intent.Hours => "hours",
        Intent.Location => "location",
        Intent.Services => "services",
        Intent.Human => Human,
        Intent.Message => Message,
        Intent.Question => "question",
        _ => null,
    } : null;
}
