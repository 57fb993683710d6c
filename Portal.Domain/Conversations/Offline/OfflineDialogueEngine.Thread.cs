using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

public sealed partial class OfflineDialogueEngine
{
    /// <summary>Longest booking notes written (the <c>Booking.Notes</c> column holds 1000 characters).</summary>
    private const int MaxNotesLength = 1000;

    /// <summary>
    /// Keeps a task's thread before the utterance is read as a new request: a booking the caller declines ends without a
    /// message unless they ask for one; the answer to the pending question fills it whatever else the words suggest ("you
    /// can reach me at ..." while the number is asked for); a change of provider changes who, not whether; a remark for the
    /// staff and an unanswerable side question go on the booking's notes and the booking carries on. True when handled.
    /// </summary>
    private async Task<bool> TryKeepThreadAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var booking = state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule;
        if (state.Flow == DialogueFlow.Book && u.Intent.Intent == Intent.Cancel && !DialogueCues.MentionsExistingBooking(u.Raw))
        {
            // "scratch that, 3 pm then" corrects the booking being made; "forget it" alone withdraws it. Neither is
            // about an appointment already on the calendar.
            if (ChangesSomething(state, u))
            {
                ApplySlots(ctx, state, u);
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return true;
            }

            state.ResetTask();
            state.Pending = PendingQuestion.AnythingElse;
            turn.Say("No problem, I won't book anything. Is there anything else I can help you with?");
            return true;
        }

        if (!booking || u.Intent.Intent is Intent.Human or Intent.Cancel)
        {
            return false;
        }

        if (state.Flow == DialogueFlow.Book && DialogueCues.DeclinesBooking(u.Raw) && !ChangesSomething(state, u))
        {
            state.ResetTask();
            if (DialogueCues.AsksForMessage(u.Raw))
            {
                state.Flow = DialogueFlow.Message;
                turn.Say("Of course.");
                AskMessageNext(state, turn);
                return true;
            }

            state.Pending = PendingQuestion.AnythingElse;
            turn.Say("No problem, I won't book anything. Is there anything else I can help you with?");
            return true;
        }

        var answersPending = state.Pending switch
        {
            PendingQuestion.Phone => u.Phone is not null,
            PendingQuestion.Name => u.Name is not null && u.Intent.Intent != Intent.Reschedule,
            _ => false,
        };
        if (answersPending || u.Provider is not null && u.Provider != state.PreferredProvider)
        {
            var newProvider = u.Provider is { } p && p != state.PreferredProvider ? p : null;
            ApplySlots(ctx, state, u);
            if (newProvider is not null)
            {
                turn.Say($"Of course, I'll note that you'd like to see {newProvider}.");
            }

            await ContinueTaskAsync(ctx, state, u, turn, ct);
            return true;
        }

        if (u.StaffNote)
        {
            AddStaffNote(state, $"Caller: {u.Raw.Trim()}");
            turn.Say("I'll add that to your booking notes.");
            ApplySlots(ctx, state, u);
            await ContinueTaskAsync(ctx, state, u, turn, reprompt: !ChangesSomething(state, u), ct);
            return true;
        }

        if (!IsSideQuestion(state, u))
        {
            return false;
        }

        if (!await TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
        {
            await knowledge.RecordGapAsync(ctx.Profile.TenantId, u.Raw, ctx.ConversationId, ct);
            var first = !state.StaffNotes.Any(n => n.StartsWith("Question:", StringComparison.Ordinal));
            AddStaffNote(state, $"Question: {u.Raw.Trim()}");
            turn.Say(first
                ? "I'm sorry, I don't have that information, but I'll add your question to your booking notes so the team can answer it."
                : "I'll add that question to your notes as well.");
        }

        await ContinueTaskAsync(ctx, state, u, turn, reprompt: true, ct);
        return true;
    }

    /// <summary>
    /// A question asked in passing during a booking ("is there an elevator?", "can I take ibuprofen before I come in?"):
    /// phrased as a question, it changes nothing on the booking, asks for no booking or availability, and is not about
    /// hours, the address or a known service (those have their own answers).
    /// </summary>
    private static bool IsSideQuestion(DialogueState state, Understood u) =>
        DialogueCues.IsQuestion(u.Raw) && !ChangesSomething(state, u) && ShiftDirection(u.Raw) == 0
        && !DialogueCues.AsksToBook(u.Raw) && !DialogueCues.AsksAvailability(u.Raw)
        && u.Intent.Intent is Intent.Question or Intent.None or Intent.Book or Intent.Services or Intent.Greeting or Intent.Thanks
        && !(u.Intent.Intent == Intent.Services && (u.Service is not null || IsGenericServicesQuestion(u.Raw)));

    /// <summary>True when the utterance changes something on the task: a date or time, another service, a name or a number.</summary>
    private static bool ChangesSomething(DialogueState state, Understood u) =>
        u.Temporal is not null || u.Service is { } s && s.Service.Id != state.ServiceId || u.Name is not null || u.Phone is not null;

    private static void AddStaffNote(DialogueState state, string note)
    {
        if (!state.StaffNotes.Contains(note, StringComparer.Ordinal))
        {
            state.StaffNotes.Add(note);
        }
    }

    /// <summary>The booking's notes: the provider asked for, then remarks and open questions, cut to the column's length.</summary>
    private static string? BookingNotes(DialogueState state)
    {
        var parts = new List<string>(state.StaffNotes.Count + 1);
        if (state.PreferredProvider is { } provider)
        {
            parts.Add($"Asked for {provider}.");
        }

        parts.AddRange(state.StaffNotes);
        if (parts.Count == 0)
        {
            return null;
        }

        var notes = string.Join(" | ", parts);
        return notes.Length <= MaxNotesLength ? notes : notes[..(MaxNotesLength - 1)] + "…";
    }

    /// <summary>"Which one would you like: ...?" after a bare yes to several offered slots (a yes cannot pick one).</summary>
    private static void AskWhichSlot(DialogueContext ctx, DialogueState state, TurnBuilder turn) =>
        turn.Say($"Sure. Which one would you like: {SpokenFormat.Slots(state.Offered, ctx.Today)}?");
}
