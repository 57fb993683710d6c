using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class IntentClassifierTests
{
    [Theory]
    // Greeting
    [InlineData("hi", Intent.Greeting)]
    [InlineData("Hello!", Intent.Greeting)]
    [InlineData("hey there good morning", Intent.Greeting)]
    [InlineData("hallo :)", Intent.Greeting)]
    // Book
    [InlineData("I'd like to come in for a cleaning", Intent.Book)]
    [InlineData("can I get an appointment", Intent.Book)]
    [InlineData("need someone to look at my furnace", Intent.Book)]
    [InlineData("i wanna book a haircut for friday", Intent.Book)]
    [InlineData("do you have any openings tomorrow afternoon", Intent.Book)]
    [InlineData("Hey hey. I need a doctor's appointment today", Intent.Book)]
    [InlineData("I need to reserve a table at Lucca at 10 am for 31 people.", Intent.Book)]
    [InlineData("can u fit me in this week my ac stopped working", Intent.Book)]
    [InlineData("I'd like to schedual an apointment", Intent.Book)]
    [InlineData("my car is making a weird noise can you take a look", Intent.Book)]
    [InlineData("Hello. I need to view an apartment please.", Intent.Book)]
    // Reschedule
    [InlineData("I need to move my appointment", Intent.Reschedule)]
    [InlineData("can't make it thursday", Intent.Reschedule)]
    [InlineData("can we push it back an hour", Intent.Reschedule)]
    [InlineData("i need to reschedual my cleaning", Intent.Reschedule)]
    [InlineData("could I change the time to 4", Intent.Reschedule)]
    // Cancel
    [InlineData("scratch that", Intent.Cancel)]
    [InlineData("I want to cancel my appointment", Intent.Cancel)]
    [InlineData("pls cancle tmrw", Intent.Cancel)]
    [InlineData("maybe we can just scratch the whole viewing thing", Intent.Cancel)]
    [InlineData("Okay. Just forget about it then", Intent.Cancel)]
    // Hours
    [InlineData("what time do you close", Intent.Hours)]
    [InlineData("are you open saturday", Intent.Hours)]
    [InlineData("what are your hours?", Intent.Hours)]
    [InlineData("r u guys open on sundays", Intent.Hours)]
    // Location
    [InlineData("where are you located", Intent.Location)]
    [InlineData("what's the address", Intent.Location)]
    [InlineData("is there parking nearby", Intent.Location)]
    // Services
    [InlineData("how much is a cleaning", Intent.Services)]
    [InlineData("do you do whitening?", Intent.Services)]
    [InlineData("what services do you offer", Intent.Services)]
    [InlineData("whats the price for a pedicure", Intent.Services)]
    // Human
    [InlineData("let me talk to a real person", Intent.Human)]
    [InlineData("can i speak to someone", Intent.Human)]
    [InlineData("operator", Intent.Human)]
    [InlineData("are you a robot? I want a human", Intent.Human)]
    // Message
    [InlineData("can you have her call me back", Intent.Message)]
    [InlineData("I'd like to leave a message for Dr. Patel", Intent.Message)]
    [InlineData("just tell him I called", Intent.Message)]
    // Goodbye
    [InlineData("that's all, bye", Intent.Goodbye)]
    [InlineData("Thank you. Bye", Intent.Goodbye)]
    [InlineData("thanks have a good one", Intent.Goodbye)]
    [InlineData("Nope, that was everything. Thanks and bye!", Intent.Goodbye)]
    // Thanks
    [InlineData("thanks", Intent.Thanks)]
    [InlineData("Thank you so much, you are great.", Intent.Thanks)]
    [InlineData("thx", Intent.Thanks)]
    // Affirm
    [InlineData("yep", Intent.Affirm)]
    [InlineData("sounds good", Intent.Affirm)]
    [InlineData("Yes please do", Intent.Affirm)]
    [InlineData("yeah that works", Intent.Affirm)]
    [InlineData("ok", Intent.Affirm)]
    [InlineData("Let's go with that then", Intent.Affirm)]
    [InlineData("uh huh", Intent.Affirm)]
    [InlineData("Perfect", Intent.Affirm)]
    // Deny
    [InlineData("nope", Intent.Deny)]
    [InlineData("actually no", Intent.Deny)]
    [InlineData("no", Intent.Deny)]
    [InlineData("Not yet", Intent.Deny)]
    [InlineData("nah not really", Intent.Deny)]
    // Question
    [InlineData("do you take Delta Dental insurance?", Intent.Question)]
    [InlineData("Do you know if this apartment has a gym?", Intent.Question)]
    [InlineData("is the dentist good with kids?", Intent.Question)]
    // None
    [InlineData("", Intent.None)]
    [InlineData("I have a bad headache", Intent.None)]
    public void Classify_returns_the_expected_intent(string utterance, Intent expected)
    {
        Assert.Equal(expected, IntentClassifier.Classify(utterance).Intent);
    }

    [Theory]
    [InlineData("yes, I'd like to book a cleaning", Intent.Book, Intent.Affirm)]
    [InlineData("No, I just remembered I have a wedding. Can we change the day to Monday please?", Intent.Reschedule, Intent.Deny)]
    [InlineData("No, that is all today. Thanks again.", Intent.Goodbye, Intent.Deny)]
    [InlineData("no thank you", Intent.Deny, Intent.Thanks)]
    [InlineData("Goodbye, thanks", Intent.Goodbye, Intent.Thanks)]
    [InlineData("Nah, thank you for the help though.", Intent.Deny, Intent.Thanks)]
    [InlineData("sure, can you also tell me how much it costs", Intent.Services, Intent.Affirm)]
    public void Classify_reports_a_secondary_intent(string utterance, Intent expected, Intent secondary)
    {
        var result = IntentClassifier.Classify(utterance);

        Assert.Equal((expected, secondary), (result.Intent, result.Secondary));
    }

    [Theory]
    [InlineData("cancel my appointment")]
    [InlineData("yep")]
    [InlineData("what time do you close")]
    public void Classify_confidence_is_within_zero_and_one(string utterance)
    {
        var confidence = IntentClassifier.Classify(utterance).Confidence;

        Assert.InRange(confidence, 0.6, 1.0);
    }

    [Fact]
    public void Classify_of_whitespace_is_none_with_zero_confidence()
    {
        Assert.Equal(new IntentResult(Intent.None, 0), IntentClassifier.Classify("   "));
    }
}
