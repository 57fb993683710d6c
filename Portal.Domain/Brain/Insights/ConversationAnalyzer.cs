using System.Globalization;
using Portal.Data.Entities;
using Portal.Domain.Brain.Sentiment;
using Portal.Domain.Conversations;

namespace Portal.Domain.Brain.Insights;

/// <summary>One turn as the analysis reads it (text already redacted).</summary>
/// <param name="Sequence">0-based order.</param>
/// <param name="Speaker">Who spoke.</param>
/// <param name="Text">What was said.</param>
/// <param name="Intent">The engine's intent name for caller turns, or null.</param>
public sealed record AnalysisTurn(int Sequence, Speaker Speaker, string Text, string? Intent);

/// <summary>A booking the conversation made.</summary>
/// <param name="ServiceName">Service.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="PriceCents">Price in cents, if known.</param>
/// <param name="Status">Confirmed or cancelled.</param>
public sealed record AnalysisBooking(string ServiceName, DateTimeOffset StartUtc, long? PriceCents, BookingStatus Status);

/// <summary>Everything the offline analysis reads about one conversation.</summary>
/// <param name="Industry">The business's industry (selects the template's fields).</param>
/// <param name="Zone">The business's time zone (booking times in the summary).</param>
/// <param name="Channel">Voice or chat.</param>
/// <param name="Outcome">The conversation's outcome.</param>
/// <param name="CustomerName">The caller's name if known.</param>
/// <param name="HasContact">True when the caller's phone number is known.</param>
/// <param name="ReturningCustomer">True when the same number called or booked before.</param>
/// <param name="Turns">The turns, ordered.</param>
/// <param name="State">The final dialogue state.</param>
/// <param name="Bookings">Bookings made in the conversation.</param>
/// <param name="Messages">Messages left (redacted bodies).</param>
public sealed record AnalysisInput(
    Industry Industry, TimeZoneInfo Zone, Channel Channel, ConversationOutcome Outcome, string? CustomerName, bool HasContact,
    bool ReturningCustomer, IReadOnlyList<AnalysisTurn> Turns, DialogueState State, IReadOnlyList<AnalysisBooking> Bookings,
    IReadOnlyList<string> Messages);

/// <summary>What the analysis concluded (see <see cref="ConversationInsight"/> for each member's meaning).</summary>
public sealed record InsightDraft(
    string Summary, IReadOnlyList<string> Intents, double Sentiment, IReadOnlyList<int> SentimentTurns, int LeadScore,
    IReadOnlyList<string> LeadReasons, bool FollowUpNeeded, string? FollowUpReason, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The offline post-call analysis: an extractive summary (who, the caller's most telling sentence, the outcome with the
/// booking), intents from the engine's per-turn intents, VADER sentiment over the caller's turns
/// (<see cref="SentimentScorer"/>), a rule-based lead score with reasons, follow-up rules and the industry template's
/// fields (<see cref="IndustryFields"/>). Pure and deterministic.
/// </summary>
public static class ConversationAnalyzer
{
    /// <summary>A caller turn with |compound| at least this drives the sentiment.</summary>
    public const double DriverThreshold = 0.3;

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "i", "me", "my", "we", "you", "your", "a", "an", "the", "to", "of", "and", "or", "is", "it", "in", "on", "at", "for", "be",
        "yes", "yeah", "no", "ok", "okay", "please", "thanks", "thank", "hi", "hello", "um", "uh", "so", "that", "this", "can", "do",
        "would", "like", "just", "is", "are", "was", "have", "has", "sure", "great", "bye", "goodbye",
    };

    /// <summary>Analyses one conversation.</summary>
    public static InsightDraft Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var caller = input.Turns.Where(t => t.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(t.Text)).ToList();
        var intents = Intents(input, caller);
        var scored = caller.Select(t => (Turn: t, Score: SentimentScorer.Compound(t.Text))).ToList();
        var carrying = scored.Where(s => s.Score != 0).ToList();
        double sentiment = carrying.Count == 0 ? 0 : Math.Round(carrying.Average(s => s.Score), 3);
        var drivers = carrying.Where(s => Math.Abs(s.Score) >= DriverThreshold && Math.Sign(s.Score) == Math.Sign(sentiment))
            .OrderByDescending(s => Math.Abs(s.Score)).Take(3).Select(s => s.Turn.Sequence).ToList();
        var (score, reasons) = LeadScore(input, caller, intents, sentiment);
        var followUp = FollowUp(input, intents, sentiment);
        string callerText = string.Join('\n', caller.Select(t => t.Text));
        var fields = IndustryFields.Extract(input.Industry, new FieldContext(callerText, input.State));
        string summary = Summary(input, caller, intents);
        return new InsightDraft(summary, intents, sentiment, drivers, score, reasons, followUp is not null, followUp, fields);
    }

    private static List<string> Intents(AnalysisInput input, List<AnalysisTurn> caller)
    {
        var keys = new HashSet<string>(caller.Select(t => InsightIntents.FromEngineIntent(t.Intent)).OfType<string>());
        if (caller.Any(t => InsightIntents.MentionsPrice(t.Text)))
        {
            keys.Add(InsightIntents.Price);
        }

        if (input.Outcome is ConversationOutcome.Booked)
        {
            keys.Add(InsightIntents.Book);
        }

        if (input.Outcome is ConversationOutcome.MessageTaken)
        {
            keys.Add(InsightIntents.Message);
        }

        return InsightIntents.All.Where(keys.Contains).ToList();
    }

    private static (int Score, List<string> Reasons) LeadScore(AnalysisInput input, List<AnalysisTurn> caller, List<string> intents, double sentiment)
    {
        var reasons = new List<string>();
        int score = 0;
        void Add(int points, string why)
        {
            score += points;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{why} ({(points >= 0 ? "+" : "")}{points})"));
        }

        if (caller.Count >= 2)
        {
            Add(10, "Engaged in the conversation");
        }

        if (input.Outcome is ConversationOutcome.Booked or ConversationOutcome.Rescheduled || input.Bookings.Any(b => b.Status == BookingStatus.Confirmed))
        {
            Add(40, "Booked");
        }
        else if (intents.Contains(InsightIntents.Book) || input.State.ServiceId is not null)
        {
            Add(15, "Wanted to book but did not");
        }

        if (intents.Contains(InsightIntents.Price))
        {
            Add(15, "Asked about prices");
        }

        if (input.Outcome == ConversationOutcome.MessageTaken || intents.Contains(InsightIntents.Message))
        {
            Add(15, "Wants a callback");
        }

        if (input.ReturningCustomer)
        {
            Add(10, "Existing customer");
        }

        if (input.HasContact && !string.IsNullOrWhiteSpace(input.CustomerName))
        {
            Add(10, "Left name and number");
        }

        if (sentiment >= DriverThreshold)
        {
            Add(5, "Positive tone");
        }
        else if (sentiment <= -DriverThreshold)
        {
            Add(-10, "Negative tone");
        }

        if (input.Outcome == ConversationOutcome.Cancelled)
        {
            Add(-15, "Cancelled a booking");
        }

        return (Math.Clamp(score, 0, 100), reasons);
    }

    private static string? FollowUp(AnalysisInput input, List<string> intents, double sentiment)
    {
        var why = new List<string>();
        if (input.Outcome == ConversationOutcome.MessageTaken)
        {
            why.Add("Left a message and expects a callback");
        }

        if (intents.Contains(InsightIntents.Human) && input.Outcome != ConversationOutcome.Transferred)
        {
            why.Add("Asked for a person and was not transferred");
        }

        if (input.State.StaffNotes.Count > 0)
        {
            why.Add($"Asked something the agent could not answer: \"{Cut(input.State.StaffNotes[0], 120)}\"");
        }

        if (input.State.Flow == DialogueFlow.Book && input.Outcome is not (ConversationOutcome.Booked or ConversationOutcome.MessageTaken) && input.HasContact)
        {
            why.Add("Started booking but did not finish");
        }

        if (input.Outcome == ConversationOutcome.Failed && input.HasContact)
        {
            why.Add("The call failed before the caller was served");
        }

        if (sentiment <= -0.4)
        {
            why.Add("Sounded unhappy");
        }

        return why.Count == 0 ? null : Cut(string.Join("; ", why) + ".", ConversationInsight.FollowUpReasonMaxLength);
    }

    private static string Summary(AnalysisInput input, List<AnalysisTurn> caller, List<string> intents)
    {
        string who = string.IsNullOrWhiteSpace(input.CustomerName) ? input.Channel == Channel.Voice ? "A caller" : "A visitor" : input.CustomerName.Trim();
        string verb = input.Channel == Channel.Voice ? "called" : "wrote";
        var sentences = new List<string>
        {
            intents.Count == 0 ? $"{who} {verb}." : $"{who} {verb} about {JoinLabels(intents)}.",
        };
        if (Salient(caller) is { } quote)
        {
            sentences.Add($"They said: \u201c{Cut(quote, 160)}\u201d.");
        }

        sentences.Add(OutcomeSentence(input));
        return Cut(string.Join(' ', sentences), ConversationInsight.SummaryMaxLength);
    }

    private static string JoinLabels(List<string> intents)
    {
        var labels = intents.Take(3).Select(i => InsightIntents.Label(i).ToLowerInvariant()).ToList();
        return labels.Count == 1 ? labels[0] : string.Join(", ", labels[..^1]) + " and " + labels[^1];
    }

    /// <summary>The caller's most telling turn: the most content words, a question or price mention weighing more.</summary>
    private static string? Salient(List<AnalysisTurn> caller)
    {
        var best = caller
            .Select(t => (t.Text, Score: SentimentScorer.Word.Matches(t.Text).Count(w => !StopWords.Contains(w.Value))
                + (t.Text.Contains('?', StringComparison.Ordinal) ? 2 : 0) + (InsightIntents.MentionsPrice(t.Text) ? 2 : 0)))
            .Where(x => x.Score >= 3)
            .OrderByDescending(x => x.Score)
            .FirstOrDefault();
        return best.Text?.Trim();
    }

    private static string OutcomeSentence(AnalysisInput input)
    {
        var booking = input.Bookings.FirstOrDefault(b => b.Status == BookingStatus.Confirmed);
        string When(AnalysisBooking b) => TimeZoneInfo.ConvertTime(b.StartUtc, input.Zone).ToString("dddd, MMMM d 'at' h:mm tt", CultureInfo.InvariantCulture);
        string Price(AnalysisBooking b) => b.PriceCents is { } c ? string.Create(CultureInfo.InvariantCulture, $" (${c / 100m:0.##})") : "";
        return input.Outcome switch
        {
            ConversationOutcome.Booked when booking is not null => $"Booked {booking.ServiceName} for {When(booking)}{Price(booking)}.",
            ConversationOutcome.Rescheduled when booking is not null => $"Moved their {booking.ServiceName} to {When(booking)}.",
            ConversationOutcome.Booked => "Booked an appointment.",
            ConversationOutcome.Rescheduled => "Moved an appointment.",
            ConversationOutcome.Cancelled => "Cancelled an appointment.",
            ConversationOutcome.MessageTaken => input.Messages.Count > 0 ? $"Left a message for the team: \u201c{Cut(input.Messages[0], 140)}\u201d." : "Left a message for the team.",
            ConversationOutcome.Transferred => "Was transferred to the team.",
            ConversationOutcome.Answered => "Got answers without booking.",
            ConversationOutcome.Failed => "The call could not be completed.",
            ConversationOutcome.InProgress => "The conversation had not ended.",
            _ => "Left before anything was settled.",
        };
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "\u2026";
}
