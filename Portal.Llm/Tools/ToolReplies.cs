using System.Globalization;
using System.Text.Json;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Llm.Tools;

/// <summary>
/// What the receptionist tools share: their JSON replies (a refusal is <c>{"status":"refused","reason":…}</c> the model
/// can act on; offered alternatives are remembered in the dialogue state) and the parsing of the model's arguments.
/// </summary>
internal static class ToolReplies
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Offers <paramref name="slots"/> (remembered as the offered slots) with why the asked time was refused; no slots means offer a message.</summary>
    public static string Offer(ToolSession s, IReadOnlyList<DateTime> slots, string? reason, string status = "refused")
    {
        s.State.Offered = [.. slots];
        s.State.Pending = slots.Count > 0 ? PendingQuestion.PickSlot : PendingQuestion.OfferMessage;
        return Serialize(new
        {
            status,
            reason = reason is null ? null : reason + (slots.Count > 0 ? " Offer the caller the alternatives." : " There is nothing free soon: offer to take a message."),
            alternatives = slots.Select(t => new { start = Iso(t), spoken = s.Spoken(t) }),
        });
    }

    /// <summary>Why <paramref name="start"/> cannot be booked, in a sentence the model can say.</summary>
    public static string Why(ToolSession s, SlotStatus status, DateTime start, DateOnly date) => status switch
    {
        SlotStatus.Taken => $"{s.Spoken(start)} is already taken.",
        SlotStatus.ClosedDay => $"The business is closed on {SpokenFormat.Date(date, s.Today)}.",
        SlotStatus.OutsideHours => $"{s.Spoken(start)} is outside opening hours. {FactsResponder.DayHours(s.Context.Profile, date, s.Today)}",
        SlotStatus.Past => $"{s.Spoken(start)} is in the past.",
        SlotStatus.TooSoon => $"{s.Spoken(start)} is sooner than the minimum notice of {s.Context.Profile.MinimumNoticeMinutes} minutes.",
        _ => $"{s.Spoken(start)} cannot be booked.",
    };

    /// <summary>The service the caller means: exact name, else the one name containing it; the only service when none was named.</summary>
    public static ServiceInfo? ResolveService(ToolSession s, string? name)
    {
        if (name is null)
        {
            return s.Context.Profile.Services.Count == 1 ? s.Context.Profile.Services[0] : null;
        }

        var services = s.Context.Profile.Services;
        return services.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? services.SingleOrDefault(x => x.Name.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(x.Name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A refusal listing the business's services.</summary>
    public static string UnknownService(ToolSession s, string? name) =>
        Serialize(new
        {
            status = "refused",
            reason = $"Unknown service \"{name}\". Ask the caller which of these they want.",
            services = s.Context.Profile.Services.Select(x => x.Name),
        });

    /// <summary>The E.164 phone in <paramref name="text"/>, or the known one (given earlier, else caller id) when none was passed; null when invalid.</summary>
    public static string? Phone(ToolSession s, string? text) =>
        text is null ? s.State.CustomerPhone ?? s.Context.CallerPhone : PhoneExtractor.TryExtract(text, "US");

    /// <summary>Parses a local date, <c>yyyy-MM-dd</c>.</summary>
    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Parses a local time, <c>HH:mm</c> (24 h).</summary>
    public static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>A local time as <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public static string Iso(DateTime local) => local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary><c>{"status":…,"reason":…}</c>.</summary>
    public static string Refused(string reason, string status = "refused") => Serialize(new { status, reason });

    /// <summary>JSON with web defaults (camelCase unless named).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
