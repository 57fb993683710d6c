using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

public sealed partial class OfflineDialogueEngine
{
    private static Understood Understand(DialogueContext ctx, DialogueState state, string utterance)
    {
        var expectingTime = state.Pending is PendingQuestion.Date or PendingQuestion.Time or PendingQuestion.PickSlot;
        var temporal = TemporalParser.ParseWanted(utterance, ctx.NowLocal, expectingTime);
        if (temporal?.Date is null && DiscussedDate(state) is { } discussed && TemporalParser.MentionsFollowingDay(utterance))
        {
            // "try the next day": the day after the one on the table, at the same time unless another is said.
            temporal = (temporal ?? new TemporalMention(null, null, PartOfDay.None, false, false, false)) with { Date = discussed.AddDays(1), IsAsap = false };
        }

        var phone = PhoneExtractor.TryExtract(utterance, "US");
        if (phone is not null && temporal is { Date: null, PartOfDay: PartOfDay.None, IsAsap: false } && state.Pending == PendingQuestion.Phone)
        {
            temporal = null; // digits of a number, not a time
        }

        var service = ServiceMatcher.Match(utterance, ctx.Profile.ServiceCandidates);
        var intent = IntentClassifier.Classify(utterance);
        var name = NameExtractor.TryExtract(utterance, state.Pending == PendingQuestion.Name);
        if (name is null && state.CustomerName is null && intent.Intent == Intent.None && state.Pending is not (PendingQuestion.Phone or PendingQuestion.Name)
            && temporal is null && service is null && phone is null)
        {
            name = NameExtractor.TryExtractVolunteered(utterance); // "Angela" while the agent is offering slots
        }

        return new Understood(utterance, intent, temporal, service, name, phone);
    }

    /// <summary>The day being talked about: the one read back, the one asked for, or the one of the slots offered.</summary>
    private static DateOnly? DiscussedDate(DialogueState state) =>
        state.ProposedStart is { } proposed ? DateOnly.FromDateTime(proposed)
        : state.Date ?? (state.Offered.Count > 0 ? DateOnly.FromDateTime(state.Offered[0]) : null);

    /// <summary>
    /// True when a booking utterance gives a time next to a side remark that reads as a question about services or
    /// prices ("I can be there at 5pm. I can't remember if I paid the application fee"): the time is the answer.
    /// </summary>
    private static bool IsTimeBeforeAside(DialogueState state, Understood u) =>
        u.Intent.Intent == Intent.Services && u.Temporal?.Time is not null
        && (u.Service is null || u.Service.Service.Id == state.ServiceId);

    /// <summary>True when the utterance changes the booking on the table (a date or time, or another service).</summary>
    private static bool ChangesSlots(DialogueState state, Understood u) =>
        u.Temporal is not null || (u.Service is { } s && s.Service.Id != state.ServiceId);

    /// <summary>True when the caller says goodbye while a booking they started is still unwritten, the first time only.</summary>
    private static bool HoldsUnfinishedBooking(DialogueState state) =>
        state.Flow == DialogueFlow.Book && !state.GoodbyeHeld
        && (state.ProposedStart is not null || state.Time is not null || state.Date is not null);

    /// <summary>Says the booking is not made yet and asks what is missing; a second goodbye ends the call.</summary>
    private async Task HoldGoodbyeAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        state.GoodbyeHeld = true;
        turn.Say("Before you go, I haven't booked it yet.");
        await ContinueTaskAsync(ctx, state, u, turn, reprompt: true, ct);
    }
}
