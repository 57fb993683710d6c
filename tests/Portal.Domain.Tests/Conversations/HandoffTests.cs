using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Conversations;

/// <summary>Speak to a human, leave a message, and goodbye.</summary>
public sealed class HandoffTests
{
    private const string TransferNumber = "+12125550111";

    public static TheoryData<string> HumanRequests => new()
    {
        "Can I speak to a person?", "I want to talk to a human", "let me talk to someone", "Can I speak to the receptionist?",
        "i need to speak with a real person", "Could you transfer me to someone?", "get me a human please", "I'd like to talk to the front desk",
        "can i talk to the dentist", "operator", "representative please", "I want to speak to a real person not a robot",
        "can you put me through to someone", "hi can i talk to a staff member", "Put me through to the office please", "I'd rather speak to somebody",
        "Can I speak to a manager?", "connect me to a human", "i need a live person", "Transfer me please", "speak to someone",
        "Can I talk to someone in the office?", "let me speak to an actual person", "is there a real person there", "I need to talk to a human being",
        "could i please speak with someone", "talk to a person", "i want a real human", "I'd like to speak to the office manager", "Agent please",
        "hi, can I be transferred to the front desk", "i'd like to talk to a live agent", "Please get me a person",
        "Can someone help me, like a real person?", "I'd like to speak to someone about my bill", "can i speak with the hygienist",
        "uh can i just talk to somebody", "Can you transfer me to the front desk?", "i wanna speak to a human", "Is there a person I can talk to?",
        "real person please",
        "Is there someone I can speak to?", "Can you connect me with the office?", "Can I speak to Dr. Smith?", "I want to speak with staff",
    };

    [Theory]
    [MemberData(nameof(HumanRequests))]
    public async Task HumanRequest_WithTransferNumber_RequestsTransfer(string utterance)
    {
        var h = ConversationHarness.Dental(transferNumber: TransferNumber);
        var reply = await h.SayAsync(utterance);

        var action = Assert.Single(reply.Actions);
        Assert.Equal(AgentActionKind.TransferRequested, action.Kind);
        Assert.Equal(TransferNumber, action.Detail);
        Assert.Equal(ConversationOutcome.Transferred, reply.Outcome);
    }

    [Theory]
    [MemberData(nameof(HumanRequests))]
    public async Task HumanRequest_WithoutTransferNumber_OffersToTakeAMessage(string utterance)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Empty(reply.Actions);
        Assert.Contains("take a message", reply.Text, StringComparison.Ordinal);
        Assert.Equal(DialogueFlow.Message, h.State.Flow);
        Assert.Equal(PendingQuestion.MessageBody, h.State.Pending);
    }

    public static TheoryData<string> MessageRequests => new()
    {
        "Can I leave a message?", "I'd like to leave a message", "can someone call me back", "Please have someone call me",
        "i want to leave a message for the dentist", "Could you take a message?", "Can you pass on a message to Dr. Lee?",
        "I need someone to call me back about my bill", "leave a message", "Can I leave a voicemail?", "could you ask the office to call me back",
        "I'd like a callback please", "hi i'd like to leave a message for the front desk", "Can you have the dentist give me a call?",
        "i need a call back", "tell them to call me back", "Could someone return my call?", "Please ask someone to get back to me",
        "I just want to leave a message", "can i leave a msg", "would you take a message for me", "I'd like someone to call me back later today",
        "Can you let them know I called?", "I'd like to leave a message about my insurance", "can the hygienist call me back",
        "Could I get a call back tomorrow?", "message for the dentist please", "Please pass a message to the billing department",
        "i'd like to leave a message for my dentist", "Can I leave a message with you?", "Is it possible to leave a message?",
        "I need the office to call me back", "I'd like to request a call back", "um can i leave a message for dr lee",
        "Could you have someone give me a call back?", "i just need someone to call me back", "Can I leave a message for the office manager?",
        "please leave a message for the doctor", "I'd like a call back about my appointment", "Could you pass a message along?",
        "have the office call me back please",
        "Please take a message for the office manager", "Can I leave a note for the doctor?", "Can you get someone to call me?",
        "Could you let Dr. Patel know I called", "Have someone phone me please", "Could you ask someone to call me about my x-rays",
        "please have the office call me", "i want someone to ring me back",
    };

    [Theory]
    [MemberData(nameof(MessageRequests))]
    public async Task MessageRequest_AsksWhatToPassOn_ThenStoresTheMessage(string utterance)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);
        Assert.Contains("What would you like me to pass on?", reply.Text, StringComparison.Ordinal);

        await h.SayAsync("Please ask them to call me about my crown, it feels loose");
        await h.SayAsync("John Smith");
        var last = await h.SayAsync("646 555 0199");

        var message = Assert.Single(h.Store.Messages);
        Assert.Equal("Please ask them to call me about my crown, it feels loose", message.Body);
        Assert.Equal("John Smith", message.CallerName);
        Assert.Equal("+16465550199", message.CallerPhone);
        Assert.Equal(ConversationOutcome.MessageTaken, last.Outcome);
        Assert.StartsWith("Thank you, John. I've passed your message on", last.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> Goodbyes => new()
    {
        "bye", "Goodbye", "ok thanks bye", "that's all, thank you, goodbye", "Thanks, have a good day", "alright bye bye", "see you",
        "talk to you later", "No that's everything, bye", "ok cool bye", "Thanks so much, bye!", "that's it for now, goodbye",
        "have a nice day", "bye thanks", "Gotta go, bye", "okay see you then", "that's all i needed, bye", "thank you goodbye", "cheers bye",
        "alright then, goodbye", "OK, that's all. Bye.", "great thanks bye now", "Bye for now", "goodbye and thanks", "thanks for your help bye",
        "Nothing else, goodbye", "that will be all thanks bye", "Thank you, that's all I needed. Goodbye!", "have a great day bye",
        "i'm done, bye", "bye bye", "thanks again, goodbye", "Take care, bye", "alright talk soon bye", "Goodbye, have a good one",
        "ok thank you bye bye", "thats all bye", "ok goodbye", "Thanks! Bye.", "nope that's it, bye", "alright thank you so much, have a good one",
        "see ya", "ok byeee", "catch you later",
    };

    [Theory]
    [MemberData(nameof(Goodbyes))]
    public async Task Goodbye_EndsTheConversation(string utterance)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Contains(reply.Actions, a => a.Kind == AgentActionKind.ConversationEnded);
        Assert.True(h.State.Ended);
        Assert.Contains("Goodbye", reply.Text, StringComparison.Ordinal);
    }
}
