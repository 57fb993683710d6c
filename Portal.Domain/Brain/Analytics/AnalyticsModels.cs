using Portal.Data.Entities;

namespace Portal.Domain.Brain.Analytics;

/// <summary>What the analytics are computed over: a range of local dates (inclusive) and, optionally, one channel.</summary>
/// <param name="From">First local date, inclusive.</param>
/// <param name="To">Last local date, inclusive (at most <see cref="MaxDays"/> days after <paramref name="From"/>).</param>
/// <param name="Channel"><see cref="Portal.Data.Entities.Channel.Voice"/>, <see cref="Portal.Data.Entities.Channel.WebChat"/> or <see cref="Portal.Data.Entities.Channel.Sms"/>; null for all three.</param>
public sealed record AnalyticsQuery(DateOnly From, DateOnly To, Channel? Channel = null)
{
    /// <summary>Longest range, days (about two years).</summary>
    public const int MaxDays = 731;

    /// <summary>Null when valid, else what is wrong ("The range must end on or after its start.").</summary>
    public string? Validate() =>
        To < From ? "The range must end on or after its start."
        : To.DayNumber - From.DayNumber >= MaxDays ? $"The range can be at most {MaxDays} days."
        : Channel == Portal.Data.Entities.Channel.Test ? "Test conversations are not part of analytics."
        : null;
}

/// <summary>Conversations started on one local date.</summary>
/// <param name="Date">Local date.</param>
/// <param name="Calls">Voice conversations.</param>
/// <param name="Chats">Web chat conversations.</param>
/// <param name="Texts">Text-message (SMS) conversations.</param>
public sealed record DayVolume(DateOnly Date, int Calls, int Chats, int Texts)
{
    /// <summary>Calls + chats + texts.</summary>
    public int Total => Calls + Chats + Texts;
}

/// <summary>Conversations that started in one local hour of one weekday over the range.</summary>
/// <param name="Weekday">ISO weekday, 1 = Monday .. 7 = Sunday.</param>
/// <param name="Hour">Local hour 0..23.</param>
/// <param name="Count">Conversations.</param>
public sealed record HeatCell(int Weekday, int Hour, int Count);

/// <summary>
/// The outcome funnel, each stage a subset of the one before: answered (the agent spoke with the caller: not abandoned and
/// not failed) → asked about a service (a booking, rescheduling, services or price intent, from the engine's turn intents or
/// the post-call insight) → offered a slot (the dialogue state holds offered or proposed times, or the conversation booked)
/// → booked.
/// </summary>
/// <param name="Conversations">Every conversation in the range.</param>
/// <param name="Answered">Answered.</param>
/// <param name="AskedAboutService">Asked about a service.</param>
/// <param name="OfferedSlot">Offered a slot.</param>
/// <param name="Booked">Booked (outcome <see cref="ConversationOutcome.Booked"/>).</param>
public sealed record OutcomeFunnel(int Conversations, int Answered, int AskedAboutService, int OfferedSlot, int Booked);

/// <summary>An intent of the post-call insights and how many conversations had it.</summary>
/// <param name="Key">Stable key (<see cref="Insights.InsightIntents"/>).</param>
/// <param name="Label">Label for people.</param>
/// <param name="Count">Conversations.</param>
public sealed record IntentCount(string Key, string Label, int Count);

/// <summary>A question callers asked that the knowledge base could not answer (an open knowledge gap last asked in the range).</summary>
/// <param name="GapId">The knowledge gap.</param>
/// <param name="TenantId">Its business.</param>
/// <param name="Business">Its business's name.</param>
/// <param name="Question">The question as last asked.</param>
/// <param name="Count">Times asked (over all time).</param>
/// <param name="LastAskedLocal">When last asked, in the business's local time.</param>
public sealed record UnansweredQuestion(Guid GapId, Guid TenantId, string Business, string Question, int Count, DateTime LastAskedLocal);

/// <summary>Average caller sentiment (-1..1, VADER compound) of the analysed conversations of one local date.</summary>
/// <param name="Date">Local date.</param>
/// <param name="Average">Mean sentiment, rounded to 3 decimals.</param>
/// <param name="Conversations">Analysed conversations that day.</param>
public sealed record SentimentPoint(DateOnly Date, double Average, int Conversations);

/// <summary>The agent's processing time per reply (<see cref="Turn.LatencyMs"/> of agent turns), ms.</summary>
/// <param name="Turns">Agent turns measured.</param>
/// <param name="P50Ms">Median (continuous percentile), or null with no turns.</param>
/// <param name="P95Ms">95th percentile (continuous), or null with no turns.</param>
public sealed record LatencyStats(int Turns, double? P50Ms, double? P95Ms);

/// <summary>Headline figures of the range.</summary>
/// <param name="Conversations">Conversations (calls, chats and texts; tests excluded).</param>
/// <param name="Calls">Voice conversations.</param>
/// <param name="Chats">Web chat conversations.</param>
/// <param name="Texts">Text-message (SMS) conversations.</param>
/// <param name="BookingRatePercent">Booked conversations / conversations × 100, rounded to 1 decimal (0 with none).</param>
/// <param name="Bookings">Confirmed bookings made in those conversations.</param>
/// <param name="RevenueCents">Their price (the price at booking time, else the service's price), cents.</param>
/// <param name="AfterHoursCalls">Answered calls that started outside the business's opening hours or on a closed date.</param>
/// <param name="AverageHandleSeconds">Mean length of ended conversations, seconds (rounded), or null with none.</param>
/// <param name="MinutesUsed">Billable call minutes (each call rounded up to a tenth of a minute, as billing does).</param>
public sealed record AnalyticsSummary(
    int Conversations, int Calls, int Chats, int Texts, double BookingRatePercent, int Bookings, long RevenueCents,
    int AfterHoursCalls, int? AverageHandleSeconds, decimal MinutesUsed);

/// <summary>Everything the analytics page shows for one <see cref="AnalyticsQuery"/>.</summary>
/// <param name="Query">The query.</param>
/// <param name="TimeZoneLabel">The time zone dates and hours are in (the business's; "each business's own time zone" across businesses).</param>
/// <param name="Summary">Headline figures.</param>
/// <param name="PerDay">One row per local date of the range (zeros included).</param>
/// <param name="Heatmap">Non-empty weekday × hour cells.</param>
/// <param name="Funnel">Outcome funnel.</param>
/// <param name="TopIntents">Most frequent insight intents, up to 10.</param>
/// <param name="TopUnanswered">Most asked open knowledge gaps last asked in the range, up to 10 (channel-independent).</param>
/// <param name="Sentiment">Average sentiment per local date with analysed conversations.</param>
/// <param name="Latency">Agent reply latency.</param>
public sealed record AnalyticsReport(
    AnalyticsQuery Query, string TimeZoneLabel, AnalyticsSummary Summary, IReadOnlyList<DayVolume> PerDay, IReadOnlyList<HeatCell> Heatmap,
    OutcomeFunnel Funnel, IReadOnlyList<IntentCount> TopIntents, IReadOnlyList<UnansweredQuestion> TopUnanswered,
    IReadOnlyList<SentimentPoint> Sentiment, LatencyStats Latency)
{
    /// <summary>True when the range holds no conversation.</summary>
    public bool IsEmpty => Summary.Conversations == 0;
}
