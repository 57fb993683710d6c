using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Reads an utterance as the answer to what the agent asked last (a read-back, an offer to take a message, "anything
/// else?", the message text, a choice among offered slots, which booking, the service, the number, the name).
/// </summary>
/// <param name="tasks">The tasks the answers continue.</param>
internal sealed class PendingAnswers(DialogueTasks tasks)
{
    /// <summary>Reads the utterance as the answer to what the agent asked last; true when it settled the turn.</summary>
    public async Task<bool> TryAnswerAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var switching = u.Intent.Intent is Intent.Cancel or Intent.Reschedule or Intent.Human or Intent.Message
            || (u.Intent.Intent == Intent.Book && state.Flow is not (DialogueFlow.Book or DialogueFlow.Reschedule));
        if (switching && state.Pending is not (PendingQuestion.MessageBody or PendingQuestion.Confirm or PendingQuestion.ConfirmCancel))
        {
            return false;
        }

        switch (state.Pending)
        {
            case PendingQuestion.Confirm:
                return await tasks.OnConfirmAsync(ctx, state, u, turn, ct);
            case PendingQuestion.ConfirmCancel:
                return await tasks.Appointments.OnConfirmCancelAsync(ctx, state, u, turn, ct);
            case PendingQuestion.OfferMessage when u.IsBareYes && !u.HasSlotInfo:
                state.ResetTask();
                state.Flow = DialogueFlow.Message;
                MessageFlow.AskNext(state, turn);
                return true;
            case PendingQuestion.OfferMessage when u.Is(Intent.Deny) && u.Intent.Intent is Intent.Deny:
                state.Pending = PendingQuestion.AnythingElse;
                turn.Say("No problem. Is there anything else I can help you with?");
                return true;
            case PendingQuestion.AnythingElse when u.Intent.Intent is Intent.Deny or Intent.Thanks && !u.HasSlotInfo:
                Handover.Goodbye(ctx, state, turn);
                return true;
            case PendingQuestion.AnythingElse when u.Intent.Intent is Intent.Affirm && !u.HasSlotInfo:
                state.Pending = PendingQuestion.None;
                turn.Say("Sure, what can I help you with?");
                return true;
            case PendingQuestion.MessageBody:
                if (u.Intent.Intent is Intent.Goodbye or Intent.Deny && u.Raw.Length < 20
                    || u.Intent.Intent == Intent.Book && (u.HasSlotInfo || DialogueCues.ChangesMind(u.Raw) || DialogueCues.AsksToBook(u.Raw)))
                {
                    return false; // "actually, could I just book a follow-up instead?": the booking, not the message
                }

                state.MessageBody = u.Raw.Trim();
                await tasks.ContinueAsync(ctx, state, turn, ct);
                return true;
            case PendingQuestion.PickSlot:
                if (SlotChoice.PickOffered(state, u) is { } picked)
                {
                    state.Date = DateOnly.FromDateTime(picked);
                    state.Time = TimeOnly.FromDateTime(picked);
                    state.AmPmInferred = false;
                    state.Asap = false;
                    state.Offered.Clear();
                    await tasks.ContinueAsync(ctx, state, turn, ct);
                    return true;
                }

                if (state.Offered.Count > 1 && u.Temporal is null && u.Service is null && (u.IsBareYes || u.Is(Intent.Affirm) && u.Intent.Intent is Intent.Thanks))
                {
                    AskWhichSlot(ctx, state, turn); // a bare "yes" to several times cannot pick one
                    return true;
                }

                if (u.Is(Intent.Deny) && !u.HasSlotInfo)
                {
                    state.Offered.Clear();
                    state.Date = null;
                    state.Time = null;
                    state.Pending = PendingQuestion.Date;
                    turn.Say("No problem. What other day or time would suit you?");
                    return true;
                }

                return false;
            case PendingQuestion.WhichBooking:
                return await tasks.Appointments.OnWhichBookingAsync(ctx, state, u, turn, ct);
            case PendingQuestion.Service when u.Service is null && u.Name is null && state.Flow == DialogueFlow.Book && u.Intent.Intent is Intent.None or Intent.Question or Intent.Affirm:
                turn.NotUnderstood();
                state.NotUnderstoodCount++;
                turn.Say($"Sorry, I didn't catch which service. {BookingFlow.ServiceQuestion(ctx)}");
                return true;
            case PendingQuestion.Phone when u.Phone is null && !u.HasSlotInfo && u.Intent.Intent is Intent.None or Intent.Question:
                turn.NotUnderstood();
                state.NotUnderstoodCount++;
                turn.Say("Sorry, I didn't get that number. Could you give me the phone number again, with the area code?");
                return true;
            case PendingQuestion.Name when u.Name is null && !u.HasSlotInfo && u.Intent.Intent is Intent.None or Intent.Question or Intent.Affirm:
                turn.NotUnderstood();
                state.NotUnderstoodCount++;
                turn.Say("Sorry, could you tell me your first and last name?");
                return true;
            default:
                return false;
        }
    }

    /// <summary>"Which one would you like: ...?" after a bare yes to several offered slots (a yes cannot pick one).</summary>
    private static void AskWhichSlot(DialogueContext ctx, DialogueState state, TurnBuilder turn) =>
        turn.Say($"Sure. Which one would you like: {SpokenFormat.Slots(state.Offered, ctx.Today)}?");
}
