using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Reads one caller utterance in the light of the dialogue so far: the date and time wanted (relative to the day on the
/// table), a phone number, the service and provider named, the intent as the task reads it, and the caller's name.
/// </summary>
internal static class UtteranceReader
{
    /// <summary>Everything the turn needs from <paramref name="utterance"/>, extracted once.</summary>
    public static Understood Read(DialogueContext ctx, DialogueState state, string utterance)
    {
        var expectingTime = state.Pending is PendingQuestion.Date or PendingQuestion.Time or PendingQuestion.PickSlot;
        var temporal = TemporalParser.ParseWanted(utterance, ctx.NowLocal, expectingTime);
        if (temporal?.Date is null && SlotRules.DiscussedDate(state) is { } discussed && TemporalParser.MentionsFollowingDay(utterance))
        {
            // "try the next day": the day after the one on the table, at the same time unless another is said.
            temporal = (temporal ?? new TemporalMention(null, null, PartOfDay.None, false, false, false)) with { Date = discussed.AddDays(1), IsAsap = false };
        }

        if (temporal?.Date is null && (SlotRules.DiscussedDate(state) ?? state.MentionedDate) is { } earlier && DialogueCues.RefersToThatDay(utterance))
        {
            // "a whitening that day at 10" after a question about Friday: the day mentioned before.
            temporal = (temporal ?? new TemporalMention(null, null, PartOfDay.None, false, false, false)) with { Date = earlier, IsAsap = false };
        }

        var phone = PhoneExtractor.TryExtract(utterance, "US");
        if (phone is not null && temporal is { Date: null, PartOfDay: PartOfDay.None, IsAsap: false } && state.Pending == PendingQuestion.Phone)
        {
            temporal = null; // digits of a number, not a time
        }

        var providerMention = ProviderExtractor.Find(utterance);
        var service = ServiceMatcher.Match(utterance, ctx.Profile.ServiceCandidates);
        if (service is not null && state.ServiceId is not null && providerMention is { } pm
            && ServiceMatcher.Match(utterance.Remove(pm.Index, pm.Length), ctx.Profile.ServiceCandidates) is null)
        {
            service = null; // "I'd prefer to see Doctor Chen": the provider's title names no other service for the booking
        }

        var intent = ReadInContext(state, utterance, IntentClassifier.ClassifyWithClauses(utterance), temporal, service, phone, out var staffNote);
        var name = NameExtractor.TryExtract(utterance, state.Pending == PendingQuestion.Name);
        if (name is null && state.CustomerName is null && intent.Intent == Intent.None && state.Pending is not (PendingQuestion.Phone or PendingQuestion.Name)
            && temporal is null && service is null && phone is null && !staffNote)
        {
            name = NameExtractor.TryExtractVolunteered(utterance); // "Angela" while the agent is offering slots
        }

        var provider = providerMention?.Name;
        if (provider is not null && IsServiceWord(ctx, provider))
        {
            provider = null; // "I'd like Highlights" names a service
        }

        if (provider is not null && name is not null && provider.EndsWith(name.Split(' ')[^1], StringComparison.OrdinalIgnoreCase))
        {
            // "I'm Dr. Patel" (a trigger) names the caller; "Dr. Patel" alone after "your name?" is the provider asked for.
            (name, provider) = NameExtractor.TryExtract(utterance, expectingName: false) is not null ? (name, (string?)null) : (null, provider);
        }

        return new Understood(utterance, intent, temporal, service, name, phone, provider, staffNote);
    }

    /// <summary>
    /// Reads the classifier's intent in the light of the task: during a task, a closing phrase that comes with a yes or
    /// with the answer ("Friday, that's it", "yes, that's all") confirms rather than says goodbye; a number given while a
    /// task collects one is the number, not a request for a callback; a remark for the staff during a booking ("tell her
    /// I'll be late") is a note, not a message, unless the caller asks for a message in so many words.
    /// </summary>
    private static IntentResult ReadInContext(DialogueState state, string utterance, IntentResult intent, TemporalMention? temporal, ServiceMatch? service, string? phone, out bool staffNote)
    {
        staffNote = false;
        var inTask = state.Flow != DialogueFlow.None;
        var answers = temporal is not null || service is not null || phone is not null;
        if (inTask && intent.Intent == Intent.Goodbye && state.Pending is not (PendingQuestion.AnythingElse or PendingQuestion.None)
            && !DialogueCues.HasFarewell(utterance) && (intent.Secondary == Intent.Affirm || answers || state.Pending is PendingQuestion.Name))
        {
            return new IntentResult(Intent.Affirm, intent.Confidence);
        }

        if (DialogueCues.RulesOutMessage(utterance))
        {
            return Without(Without(intent, Intent.Message), Intent.Deny); // "no message, that's my number": the "no" is about the message
        }

        if (intent.Intent != Intent.Message && intent.Secondary != Intent.Message)
        {
            return intent;
        }

        var booking = state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule;

        if (inTask && state.Flow != DialogueFlow.Message && phone is not null)
        {
            return Without(intent, Intent.Message);
        }

        if (booking && !DialogueCues.AsksForMessage(utterance))
        {
            staffNote = intent.Intent == Intent.Message;
            return Without(intent, Intent.Message);
        }

        return intent;
    }

    private static IntentResult Without(IntentResult intent, Intent drop) =>
        intent.Intent == drop ? new IntentResult(intent.Secondary == drop ? Intent.None : intent.Secondary, intent.Confidence)
        : intent with { Secondary = intent.Secondary == drop ? Intent.None : intent.Secondary };

    private static bool IsServiceWord(DialogueContext ctx, string provider) =>
        ctx.Profile.Services.Any(s => s.Name.Contains(provider, StringComparison.OrdinalIgnoreCase))
        || ServiceMatcher.Match(provider, ctx.Profile.ServiceCandidates) is not null;
}
