using System.Runtime.CompilerServices;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Knowledge;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// The conversation engine that needs no language model: intent recognition, slot filling
/// (service, date and time in the business's time zone, name, callback number), availability
/// with nearest alternatives, read-back and confirmation before anything is written, cancel,
/// reschedule, messages, and answers quoted from the business's facts and knowledge base. It never
/// invents: what it does not know it offers to pass on as a message.
/// </summary>
/// <remarks>
/// One turn: <see cref="UtteranceReader"/> reads the utterance once; then, in order, the booking-status question
/// (<see cref="BookingStatus"/>), "anything later?" (<see cref="SlotShift"/>), the booking's thread
/// (<see cref="ThreadKeeper"/>), the answer to the pending question (<see cref="PendingAnswers"/>), a new task by intent
/// (<see cref="DialogueTasks"/>), and otherwise an answer (<see cref="QuestionAnswerer"/>).
/// </remarks>
public sealed class OfflineDialogueEngine : IDialogueEngine
{
    private readonly DialogueTasks _tasks;
    private readonly QuestionAnswerer _answerer;
    private readonly PendingAnswers _pending;
    private readonly ThreadKeeper _thread;
    private readonly SlotShift _shift;
    private readonly BookingStatus _status;

    /// <summary>Creates the engine over one store of bookings and messages, its availability rules and a knowledge base.</summary>
    public OfflineDialogueEngine(IBookingStore store, AvailabilityService availability, IKnowledgeBase knowledge)
    {
        _tasks = new DialogueTasks(store, availability);
        _answerer = new QuestionAnswerer(knowledge, _tasks);
        _pending = new PendingAnswers(_tasks);
        _thread = new ThreadKeeper(_tasks, _answerer, knowledge);
        _shift = new SlotShift(availability);
        _status = new BookingStatus(store, _tasks);
    }

    /// <summary>Takes one caller utterance and the state so far; mutates <paramref name="state"/> and returns the reply.</summary>
    public async Task<DialogueReply> RespondAsync(DialogueContext ctx, DialogueState state, string utterance, CancellationToken cancellationToken)
    {
        var u = UtteranceReader.Read(ctx, state, utterance);
        state.MentionedDate = u.Temporal?.Date ?? state.MentionedDate;
        var turn = new TurnBuilder(u.Intent.Intent);
        var volunteered = false;
        if (u.Name is not null && (state.Pending == PendingQuestion.Name || state.CustomerName is null || LooksLikeNameCorrection(utterance)))
        {
            volunteered = state.Pending != PendingQuestion.Name && state.CustomerName is null;
            state.CustomerName = u.Name;
        }

        if (u.Phone is not null)
        {
            state.CustomerPhone = u.Phone;
        }

        // The rest of the last answer, when the caller takes the offer to hear more ("yes", "tell me more").
        var more = state.MoreToSay;
        state.MoreToSay = null;
        if (more is not null && state.Flow == DialogueFlow.None && state.Pending == PendingQuestion.None
            && (u.Intent.Intent == Intent.Affirm || FollowUp.AsksForMore(utterance)))
        {
            turn.Say(more);
            turn.Answered();
            return turn.Build();
        }

        await DecideAsync(ctx, state, u, turn, cancellationToken);
        if (volunteered && state.CustomerName is { } name && !turn.Mentions(SpokenFormat.FirstName(state.CustomerName)) && !state.Ended)
        {
            turn.Prepend($"Thanks, {SpokenFormat.FirstName(state.CustomerName)}."); // a name given unasked is acknowledged, so the caller knows it was heard
        }

        state.MoreToSay = state.Flow == DialogueFlow.None ? turn.More : null;
        if (turn.Understood)
        {
            state.NotUnderstoodCount = 0;
        }

        return turn.Build();
    }

    private async Task DecideAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        if (await _status.TryAsync(ctx, state, u, turn, ct) || await _shift.TryAsync(ctx, state, u, turn, ct) || await _thread.TryAsync(ctx, state, u, turn, ct))
        {
            return;
        }

        if (await _pending.TryAnswerAsync(ctx, state, u, turn, ct))
        {
            return;
        }

        switch (u.Intent.Intent)
        {
            case Intent.Human:
                Handover.Transfer(ctx, state, turn);
                return;
            case Intent.Goodbye:
                if (HoldsUnfinishedBooking(state))
                {
                    await HoldGoodbyeAsync(ctx, state, turn, ct);
                    return;
                }

                Handover.Goodbye(ctx, state, turn);
                return;
            case Intent.Cancel:
                DialogueTasks.Start(state, DialogueFlow.Cancel, u);
                await _tasks.ContinueAsync(ctx, state, turn, ct);
                return;
            case Intent.Reschedule:
                DialogueTasks.Start(state, DialogueFlow.Reschedule, u);
                await _tasks.ContinueAsync(ctx, state, turn, ct);
                return;
            case Intent.Message:
                DialogueTasks.Start(state, DialogueFlow.Message, u);
                await _tasks.ContinueAsync(ctx, state, turn, ct);
                return;
            case Intent.Book:
                if (state.Flow is not (DialogueFlow.Book or DialogueFlow.Reschedule))
                {
                    DialogueTasks.Start(state, DialogueFlow.Book, u);
                }

                SlotRules.Apply(state, u);
                await _tasks.ContinueAsync(ctx, state, turn, ct);
                return;
        }

        if (state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule && (u.HasSlotInfo || u.Name is not null || u.Phone is not null)
            && (u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services) || IsTimeBeforeAside(state, u)))
        {
            SlotRules.Apply(state, u);
            await _tasks.ContinueAsync(ctx, state, turn, ct);
            return;
        }

        if (state.Flow is DialogueFlow.Cancel or DialogueFlow.Message && (u.Name is not null || u.Phone is not null)
            && u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services or Intent.Question))
        {
            await _tasks.ContinueAsync(ctx, state, turn, ct); // the number or name the agent asked for
            return;
        }

        // "Color on Saturday at 10 please", "whitening please", "any openings for a pedicure Friday?": a service (with a day,
        // or said as a request) is a booking request even without a booking verb.
        if (state.Flow == DialogueFlow.None && u.Service is not null
            && (u.Temporal is not null || u.Intent.Intent == Intent.None && !DialogueCues.IsQuestion(u.Raw))
            && u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services)
            && !(u.Temporal is null && u.Shape is { AsksWhetherOffered: true } or { AsksPrice: true }))
        {
            if ((u.Intent.Intent == Intent.Question || u.Temporal is null) && await _answerer.TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
            {
                return; // "balayage?" answered from knowledge: not a booking, and nothing more to say
            }

            turn.Reads(Intent.Book);
            DialogueTasks.Start(state, DialogueFlow.Book, u);
            SlotRules.Apply(state, u);
            await _tasks.ContinueAsync(ctx, state, turn, ct);
            return;
        }

        await _answerer.AnswerAsync(ctx, state, u, turn, ct);
    }

    /// <summary>The whole reply as one delta (the offline engine decides in one step), then the reply.</summary>
    public async IAsyncEnumerable<DialogueStreamItem> StreamAsync(DialogueContext context, DialogueState state, string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reply = await RespondAsync(context, state, utterance, cancellationToken);
        yield return new DialogueStreamItem(reply.Text, null, null);
        yield return new DialogueStreamItem(null, reply, null);
    }

    private static bool LooksLikeNameCorrection(string utterance) =>
        utterance.Contains("name is", StringComparison.OrdinalIgnoreCase) || utterance.Contains("name's", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when a booking utterance gives a time next to a side remark that reads as a question about services or
    /// prices ("I can be there at 5pm. I can't remember if I paid the application fee"): the time is the answer.
    /// </summary>
    private static bool IsTimeBeforeAside(DialogueState state, Understood u) =>
        u.Intent.Intent == Intent.Services && u.Temporal?.Time is not null
        && (u.Service is null || u.Service.Service.Id == state.ServiceId);

    /// <summary>True when the caller says goodbye while a booking they started is still unwritten, the first time only.</summary>
    private static bool HoldsUnfinishedBooking(DialogueState state) =>
        state.Flow == DialogueFlow.Book && !state.GoodbyeHeld
        && (state.ProposedStart is not null || state.Time is not null || state.Date is not null);

    /// <summary>Says the booking is not made yet and asks what is missing; a second goodbye ends the call.</summary>
    private async Task HoldGoodbyeAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct)
    {
        state.GoodbyeHeld = true;
        turn.Say("Before you go, I haven't booked it yet.");
        await _tasks.ContinueAsync(ctx, state, turn, reprompt: true, ct);
    }
}
