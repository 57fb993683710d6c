using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

public sealed partial class OfflineDialogueEngine
{
    /// <summary>Reads the utterance as the answer to what the agent asked last; true when it settled the turn.</summary>
    private async Task<bool> AnswerPendingAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
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
                return await OnConfirmAsync(ctx, state, u, turn, ct);
            case PendingQuestion.ConfirmCancel:
                return await OnConfirmCancelAsync(ctx, state, u, turn, ct);
            case PendingQuestion.OfferMessage when u.IsBareYes && !u.HasSlotInfo:
                state.ResetTask();
                state.Flow = DialogueFlow.Message;
                AskMessageNext(state, turn);
                return true;
            case PendingQuestion.OfferMessage when u.Is(Intent.Deny) && u.Intent.Intent is Intent.Deny:
                state.Pending = PendingQuestion.AnythingElse;
                turn.Say("No problem. Is there anything else I can help you with?");
                return true;
            case PendingQuestion.AnythingElse when u.Intent.Intent is Intent.Deny or Intent.Thanks && !u.HasSlotInfo:
                Goodbye(ctx, state, turn);
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
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return true;
            case PendingQuestion.PickSlot:
                if (PickOffered(state, u) is { } picked)
                {
                    state.Date = DateOnly.FromDateTime(picked);
                    state.Time = TimeOnly.FromDateTime(picked);
                    state.AmPmInferred = false;
                    state.Asap = false;
                    state.Offered.Clear();
                    await ContinueTaskAsync(ctx, state, u, turn, ct);
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
                return await OnWhichBookingAsync(ctx, state, u, turn, ct);
            case PendingQuestion.Service when u.Service is null && u.Name is null && state.Flow == DialogueFlow.Book && u.Intent.Intent is Intent.None or Intent.Question or Intent.Affirm:
                turn.NotUnderstood();
                state.NotUnderstoodCount++;
                turn.Say($"Sorry, I didn't catch which service. {ServiceQuestion(ctx)}");
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

    /// <summary>Maps "the first one", "the later one", "2 PM", "yes" (one offer) to an offered slot.</summary>
    private static DateTime? PickOffered(DialogueState state, Understood u)
    {
        var offered = state.Offered;
        if (offered.Count == 0)
        {
            return null;
        }

        var text = TextNormalizer.Normalize(u.Raw);
        if (u.Temporal is { Time: { } time } t)
        {
            var match = offered.Where(o => TimeOnly.FromDateTime(o) == time && (t.Date is null || DateOnly.FromDateTime(o) == t.Date)).ToList();
            if (match.Count > 0)
            {
                return match[0];
            }

            if (t.AmPmInferred)
            {
                var flipped = time.AddHours(12);
                match = offered.Where(o => TimeOnly.FromDateTime(o) == flipped && (t.Date is null || DateOnly.FromDateTime(o) == t.Date)).ToList();
                if (match.Count > 0)
                {
                    return match[0];
                }
            }

            if (!Ordinals.Any(o => ContainsWord(text, o)))
            {
                return null; // another time than the ones offered
            }

            // "the first one": the parser read "one" as 1 o'clock; the ordinal decides below.
        }

        if (u.Temporal is { Date: { } d, Time: null } && offered.Count(o => DateOnly.FromDateTime(o) == d) == 1)
        {
            return offered.First(o => DateOnly.FromDateTime(o) == d);
        }

        if (ContainsWord(text, "first") || ContainsWord(text, "earliest") || ContainsWord(text, "earlier") || ContainsWord(text, "1st"))
        {
            return offered[0];
        }

        if (ContainsWord(text, "second") || ContainsWord(text, "middle") || ContainsWord(text, "2nd"))
        {
            return offered.Count > 1 ? offered[1] : null;
        }

        if (ContainsWord(text, "third") || ContainsWord(text, "3rd"))
        {
            return offered.Count > 2 ? offered[2] : null;
        }

        if (ContainsWord(text, "last") || ContainsWord(text, "latest") || ContainsWord(text, "later"))
        {
            return offered[^1];
        }

        if (offered.Count == 1 && u.Temporal?.Time is null && (u.Is(Intent.Affirm) || ContainsWord(text, "that") || ContainsWord(text, "works") || ContainsWord(text, "fine")) && !u.Is(Intent.Deny))
        {
            return offered[0];
        }

        return null;
    }

    private static readonly string[] Ordinals = ["first", "earliest", "earlier", "1st", "second", "middle", "2nd", "third", "3rd", "last", "latest", "later"];

    private static bool ContainsWord(string normalized, string word)
    {
        var i = normalized.IndexOf(word, StringComparison.Ordinal);
        while (i >= 0)
        {
            var before = i == 0 || !char.IsLetterOrDigit(normalized[i - 1]);
            var end = i + word.Length;
            var after = end == normalized.Length || !char.IsLetterOrDigit(normalized[end]);
            if (before && after)
            {
                return true;
            }

            i = normalized.IndexOf(word, i + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
