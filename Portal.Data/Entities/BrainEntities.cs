using Portal.Data.Entities;

namespace Portal.Data.Entities;

/// <summary>
/// What the post-call analysis concluded about one ended conversation (one row per conversation): a short summary, the
/// caller's intents, sentiment with the turns that drove it, a lead score with its reasons, whether someone should follow
/// up and why, and the industry template's structured fields. Written by <c>Brain.Insights.ConversationInsightService</c>
/// from the redacted transcript, so it carries no personal data the business asked to remove.
/// </summary>
public sealed class ConversationInsight : TenantEntity
{
    /// <summary>Maximum length of <see cref="Summary"/>.</summary>
    public const int SummaryMaxLength = 1200;

    /// <summary>Maximum length of <see cref="FollowUpReason"/>.</summary>
    public const int FollowUpReasonMaxLength = 300;

    /// <summary>Maximum length of <see cref="Engine"/>.</summary>
    public const int EngineMaxLength = 16;

    /// <summary>The conversation analysed (unique).</summary>
    public Guid ConversationId { get; set; }

    /// <summary>Two or three sentences: who, what about, what happened.</summary>
    public string Summary { get; set; } = "";

    /// <summary>The caller's intents as stable keys (<c>Portal.Domain.Brain.Insights.InsightIntents</c>: "book", "price", "hours"…), most important first.</summary>
    public List<string> Intents { get; set; } = [];

    /// <summary>The outcome the analysis saw (the conversation's own at the time of analysis).</summary>
    public ConversationOutcome Outcome { get; set; }

    /// <summary>Sentiment of the caller over the conversation, -1 (negative) .. 1 (positive), by the VADER method.</summary>
    public double Sentiment { get; set; }

    /// <summary>The <see cref="Turn.Sequence"/> numbers of the caller turns that drove <see cref="Sentiment"/>, strongest first.</summary>
    public List<int> SentimentTurns { get; set; } = [];

    /// <summary>How promising the caller is as a customer, 0..100.</summary>
    public int LeadScore { get; set; }

    /// <summary>Why <see cref="LeadScore"/> is what it is ("Booked (+40)", "Asked about prices (+15)"…).</summary>
    public List<string> LeadReasons { get; set; } = [];

    /// <summary>True when someone at the business should get back to the caller.</summary>
    public bool FollowUpNeeded { get; set; }

    /// <summary>Why a follow-up is needed, or null.</summary>
    public string? FollowUpReason { get; set; }

    /// <summary>The industry template's fields as a JSON object of strings ({"vehicle":"2014 Honda Civic"}); "{}" when none were found.</summary>
    public string Fields { get; set; } = "{}";

    /// <summary>Which analysis wrote it: "offline" (rules and lexicon) or "model".</summary>
    public string Engine { get; set; } = "offline";

    /// <summary>Model analysis only: its cost in micro-dollars (1e-6 USD), else null.</summary>
    public long? CostMicroUsd { get; set; }

    /// <summary>How many pieces of personal data were removed from the transcript.</summary>
    public int RedactedCount { get; set; }

    /// <summary>
    /// The original texts of the redacted turns, as ASP.NET Data Protection ciphertext of a JSON object (sequence → text),
    /// only when the business keeps originals (<see cref="RedactionSettings.KeepEncryptedOriginal"/>); otherwise null.
    /// </summary>
    public string? ProtectedOriginal { get; set; }

    /// <summary>When the analysis ran (UTC).</summary>
    public DateTimeOffset AnalyzedAt { get; set; }
}

/// <summary>
/// A business's privacy choices for stored conversations (one row per tenant; absent means the defaults: every category
/// removed, no original kept).
/// </summary>
public sealed class RedactionSettings : TenantEntity
{
    /// <summary>The categories removed from transcripts and summaries.</summary>
    public PiiCategory Categories { get; set; } = PiiCategory.All;

    /// <summary>True to keep the original text of redacted turns, encrypted with Data Protection; false (default) to drop it.</summary>
    public bool KeepEncryptedOriginal { get; set; }
}
