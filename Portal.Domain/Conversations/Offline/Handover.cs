using Portal.Data.Entities;

namespace Portal.Domain.Conversations.Offline;

/// <summary>How a conversation leaves the agent: a transfer to a person (or a message when nobody can take it) and goodbye.</summary>
internal static class Handover
{
    /// <summary>
    /// Transfers to the business's transfer number when it has one (on a call the agent's part ends); otherwise says nobody
    /// is available and starts taking a message.
    /// </summary>
    public static void Transfer(DialogueContext ctx, DialogueState state, TurnBuilder turn)
    {
        if (ctx.Profile.TransferNumber is { } number)
        {
            turn.Say("Of course. Let me connect you with someone now. Please hold.");
            turn.Act(new AgentAction(AgentActionKind.TransferRequested, Detail: number), ConversationOutcome.Transferred);
            state.Ended = ctx.Channel == Channel.Voice;
            return;
        }

        state.ResetTask();
        state.Flow = DialogueFlow.Message;
        turn.Say("I'm sorry, nobody is available to take the call right now, but I can take a message and have someone call you back.");
        MessageFlow.AskNext(state, turn);
    }

    /// <summary>Thanks the caller by name, ends the conversation and drops any unfinished task.</summary>
    public static void Goodbye(DialogueContext ctx, DialogueState state, TurnBuilder turn)
    {
        var name = state.CustomerName is { } n ? $", {n.Split(' ')[0]}" : "";
        turn.Say($"Thanks for contacting {ctx.Profile.Name}{name}. Have a great day. Goodbye!");
        turn.Act(new AgentAction(AgentActionKind.ConversationEnded), null);
        state.ResetTask();
        state.Ended = true;
    }
}
