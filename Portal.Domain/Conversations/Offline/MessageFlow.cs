using Portal.Data.Entities;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>Taking a message for the team: what to pass on, the caller's name and callback number, then saved once.</summary>
/// <param name="store">Where the message is saved (and the owner notified).</param>
internal sealed class MessageFlow(IBookingStore store)
{
    /// <summary>Asks for the next missing part of the message: the text, then the name, then the callback number.</summary>
    public static void AskNext(DialogueState state, TurnBuilder turn)
    {
        if (state.MessageBody is null)
        {
            state.Pending = PendingQuestion.MessageBody;
            turn.Say("What would you like me to pass on?");
        }
        else if (state.CustomerName is null)
        {
            state.Pending = PendingQuestion.Name;
            turn.Say("And may I have your name?");
        }
        else
        {
            state.Pending = PendingQuestion.Phone;
            turn.Say($"Thanks, {SpokenFormat.FirstName(state.CustomerName)}. What's the best number to call you back on?");
        }
    }

    /// <summary>Saves the message once text, name and number are known (the caller id counts as the number); else asks for what is missing.</summary>
    public async Task ContinueAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct)
    {
        state.CustomerPhone ??= ctx.CallerPhone;
        if (state.MessageBody is null || state.CustomerName is null || state.CustomerPhone is null)
        {
            AskNext(state, turn);
            return;
        }

        var id = await store.SaveMessageAsync(new NewCallerMessage(ctx.Profile.TenantId, ctx.ConversationId, state.CustomerName, state.CustomerPhone, state.MessageBody), ct);
        turn.Act(new AgentAction(AgentActionKind.MessageTaken, id), ConversationOutcome.MessageTaken);
        turn.Say($"Thank you, {SpokenFormat.FirstName(state.CustomerName)}. I've passed your message on, and someone will call you back at {SpokenFormat.Phone(state.CustomerPhone)}. Is there anything else I can help with?");
        state.ResetTask();
        state.Pending = PendingQuestion.AnythingElse;
    }
}
