using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Knowledge;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Keeps a booking's thread when the caller's words would otherwise start something else: a declined booking, the answer
/// to the pending question, a change of provider, a remark for the staff, and a side question asked in passing.
/// </summary>
/// <param name="tasks">The tasks the thread continues.</param>
/// <param name="answerer">Answers side questions from the business's knowledge.</param>
/// <param name="knowledge">Records unanswered questions as knowledge gaps.</param>
internal sealed class ThreadKeeper(DialogueTasks tasks, QuestionAnswerer answerer, IKnowledgeBase knowledge)
{
    /// <summary>
    /// Keeps a task's thread before the utterance is read as a new request: a booking the caller declines ends without a
    /// message unless they ask for one; the answer to the pending question fills it whatever else the words suggest ("you
    /// can reach me at ..." while the number is asked for); a change of provider changes who, not whether; a remark for the
    /// staff and an unanswerable side question go on the booking's notes and the booking carries on. True when handled.
    /// </summary>
    public async Task<bool> TryAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var booking = state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule;
        if (state.Flow == DialogueFlow.Book && u.Intent.Intent == Intent.Cancel && !DialogueCues.MentionsExistingBooking(u.Raw))
        {
            // "scratch that, 3 pm then" corrects the booking being made; "forget it" alone withdraws it. Neither is
            // about an appointment already on the calendar.
            if (SlotRules.ChangesSomething(state, u))
            {
                SlotRules.Apply(state, u);
                await tasks.ContinueAsync(ctx, state, turn, ct);
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

        if (state.Flow == DialogueFlow.Book && DialogueCues.DeclinesBooking(u.Raw) && !SlotRules.ChangesSomething(state, u))
        {
            state.ResetTask();
            if (DialogueCues.AsksForMessage(u.Raw))
            {
                state.Flow = DialogueFlow.Message;
                turn.Say("Of course.");
                MessageFlow.AskNext(state, turn);
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
            SlotRules.Apply(state, u);
            if (newProvider is not null)
            {
                turn.Say($"Of course, I'll note that you'd like to see {newProvider}.");
            }

            await tasks.ContinueAsync(ctx, state, turn, ct);
            return true;
        }

        if (u.StaffNote)
        {
            StaffNotes.Add(state, $"Caller: {u.Raw.Trim()}");
            turn.Say("I'll add that to your booking notes.");
            SlotRules.Apply(state, u);
            await tasks.ContinueAsync(ctx, state, turn, reprompt: !SlotRules.ChangesSomething(state, u), ct);
            return true;
        }

        if (!IsSideQuestion(state, u))
        {
            return false;
        }

        if (!await answerer.TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
        {
            await knowledge.RecordGapAsync(ctx.Profile.TenantId, u.Raw, ctx.ConversationId, ct);
            var first = !StaffNotes.HasQuestion(state);
            StaffNotes.Add(state, $"Question: {u.Raw.Trim()}");
            turn.Say(first
                ? "I'm sorry, I don't have that information, but I'll add your question to your booking notes so the team can answer it."
                : "I'll add that question to your notes as well.");
        }

        await tasks.ContinueAsync(ctx, state, turn, reprompt: true, ct);
        return true;
    }

    /// <summary>
    /// A question asked in passing during a booking ("is there an elevator?", "can I take ibuprofen before I come in?"):
    /// phrased as a question, it changes nothing on the booking, asks for no booking or availability, and is not about
    /// hours, the address or a known service (those have their own answers).
    /// </summary>
    private static bool IsSideQuestion(DialogueState state, Understood u) =>
        DialogueCues.IsQuestion(u.Raw) && !SlotRules.ChangesSomething(state, u) && SlotShift.Direction(u.Raw) == 0
        && !DialogueCues.AsksToBook(u.Raw) && !DialogueCues.AsksAvailability(u.Raw)
        && u.Intent.Intent is Intent.Question or Intent.None or Intent.Book or Intent.Services or Intent.Greeting or Intent.Thanks
        && !(u.Intent.Intent == Intent.Services && (u.Service is not null || QuestionAnswerer.IsGenericServicesQuestion(u.Raw)));
}
