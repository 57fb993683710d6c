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
    [InlineData("my furnace is making a weird noise", Intent.Book)]
    [InlineData("what's the soonest you can get someone out here", Intent.Book)]
    [InlineData("Hello. I need to view an apartment please.", Intent.Book)]
    // Reschedule
    [InlineData("I need to move my appointment", Intent.Reschedule)]
    [InlineData("can't make it thursday", Intent.Reschedule)]
    [InlineData("can we push it back an hour", Intent.Reschedule)]
    [InlineData("i need to reschedual my cleaning", Intent.Reschedule)]
    [InlineData("could I change the time to 4", Intent.Reschedule)]
    [InlineData("I have an appointment on friday but something came up", Intent.Reschedule)]
    [InlineData("can i bump my appt to next tuesday", Intent.Reschedule)]
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
    [InlineData("can somebody call me back", Intent.Message)]
    [InlineData("i'm running late", Intent.Message)]
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
    [InlineData("how long does a cleaning take", Intent.Question)]
    [InlineData("can I pay with credit card", Intent.Question)]
    // None
    [InlineData("", Intent.None)]
    [InlineData("I have a bad headache", Intent.None)]
    public void Classify_returns_the_expected_intent(string utterance, Intent expected)
    {
        Assert.Equal(expected, IntentClassifier.Classify(utterance).Intent);
    }

    [Theory]
    // Book
    [InlineData("Hi, I'd like a cleaning tomorrow at 10am", Intent.Book)]
    [InlineData("hey um i wanna get my teeth cleaned", Intent.Book)]
    [InlineData("I want to see a dentist on Friday", Intent.Book)]
    [InlineData("Hello, can I get a checkup next week", Intent.Book)]
    [InlineData("good morning i need to get my teeth cleaned", Intent.Book)]
    [InlineData("I'd like to see the hygienist on Tuesday", Intent.Book)]
    [InlineData("hey, I want to book a whitening", Intent.Book)]
    // Hours
    [InlineData("hey what time do you guys close", Intent.Hours)]
    [InlineData("what time does the office close", Intent.Hours)]
    [InlineData("what time do you start seeing patients", Intent.Hours)]
    [InlineData("hi what time do you folks open", Intent.Hours)]
    [InlineData("When does the clinic open on Saturday?", Intent.Hours)]
    [InlineData("what time is the office open until", Intent.Hours)]
    // Goodbye
    [InlineData("see ya", Intent.Goodbye)]
    [InlineData("ok byeee", Intent.Goodbye)]
    [InlineData("catch you later", Intent.Goodbye)]
    [InlineData("alright see ya later", Intent.Goodbye)]
    [InlineData("thanks, catch ya later", Intent.Goodbye)]
    [InlineData("okay byeeee thanks", Intent.Goodbye)]
    // Human
    [InlineData("Is there someone I can speak to?", Intent.Human)]
    [InlineData("Can you connect me with the office?", Intent.Human)]
    [InlineData("Can I speak to Dr. Smith?", Intent.Human)]
    [InlineData("I want to speak with staff", Intent.Human)]
    [InlineData("is there anyone I could talk to", Intent.Human)]
    [InlineData("connect me to the front desk please", Intent.Human)]
    [InlineData("may I speak with Dr Lee", Intent.Human)]
    // Location
    [InlineData("Where exactly are you?", Intent.Location)]
    [InlineData("Where can I find you?", Intent.Location)]
    [InlineData("Could you tell me where the practice is?", Intent.Location)]
    [InlineData("I'm trying to find your office, where is it?", Intent.Location)]
    [InlineData("Which part of town are you in?", Intent.Location)]
    [InlineData("What neighborhood are you in?", Intent.Location)]
    [InlineData("where do i go", Intent.Location)]
    [InlineData("where is the dentist office", Intent.Location)]
    [InlineData("Where's the dental office?", Intent.Location)]
    [InlineData("How do I find your office?", Intent.Location)]
    [InlineData("Where should I go for my appointment?", Intent.Location)]
    [InlineData("where abouts are you", Intent.Location)]
    [InlineData("what area are you in", Intent.Location)]
    [InlineData("where do I need to go for my cleaning", Intent.Location)]
    [InlineData("how can I find the clinic", Intent.Location)]
    // Question
    [InlineData("Is there parking?", Intent.Question)]
    [InlineData("where do i park", Intent.Question)]
    [InlineData("is there free parking", Intent.Question)]
    [InlineData("Do you validate parking tickets?", Intent.Question)]
    [InlineData("What is your cancellation policy?", Intent.Question)]
    [InlineData("how much notice do you need to cancel", Intent.Question)]
    [InlineData("What's your policy if I need to cancel?", Intent.Question)]
    [InlineData("Is there a fee for cancelling late?", Intent.Question)]
    [InlineData("What should I bring to my first visit?", Intent.Question)]
    [InlineData("What do I need to bring for my first appointment?", Intent.Question)]
    [InlineData("Is payment due at the visit?", Intent.Question)]
    [InlineData("is laughing gas available", Intent.Question)]
    [InlineData("Can I get a copy of my x-rays?", Intent.Question)]
    [InlineData("where can I park for my appointment", Intent.Question)]
    [InlineData("is there a charge if I cancel my appointment", Intent.Question)]
    [InlineData("what happens if I miss my appointment", Intent.Question)]
    [InlineData("do I have to bring anything to my appointment", Intent.Question)]
    [InlineData("do I pay at the appointment", Intent.Question)]
    [InlineData("can I get a copy of my records", Intent.Question)]
    // Services
    [InlineData("how expensive is a cleaning", Intent.Services)]
    [InlineData("how expensive is whitening", Intent.Services)]
    [InlineData("is a checkup expensive", Intent.Services)]
    // Reschedule
    [InlineData("can i push my appointment back a week", Intent.Reschedule)]
    [InlineData("I need to postpone my appointment", Intent.Reschedule)]
    [InlineData("I need to change my booking", Intent.Reschedule)]
    [InlineData("could we push the cleaning back a few days", Intent.Reschedule)]
    [InlineData("I'd like to postpone my visit", Intent.Reschedule)]
    [InlineData("can I change my reservation", Intent.Reschedule)]
    // Message
    [InlineData("Please take a message for the office manager", Intent.Message)]
    [InlineData("Can I leave a note for the doctor?", Intent.Message)]
    [InlineData("Can you get someone to call me?", Intent.Message)]
    [InlineData("Could you let Dr. Patel know I called", Intent.Message)]
    [InlineData("Have someone phone me please", Intent.Message)]
    [InlineData("Could you ask someone to call me about my x-rays", Intent.Message)]
    [InlineData("please have the office call me", Intent.Message)]
    [InlineData("i want someone to ring me back", Intent.Message)]
    [InlineData("can you take a message for the manager", Intent.Message)]
    [InlineData("could you let the dentist know that I called", Intent.Message)]
    [InlineData("I'd like someone to phone me back", Intent.Message)]
    [InlineData("have the hygienist ring me", Intent.Message)]
    public void Classify_handles_phrase_families_found_by_the_engine_tests(string utterance, Intent expected)
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
    [Theory]
    [InlineData("Great, can you set me up with an appointment?", Intent.Book, Intent.Affirm)]
    [InlineData("no thanks, but I do want to book a consultation on Wednesday", Intent.Book, Intent.Deny)]
    [InlineData("Never mind that. I need to get a cleaning scheduled for Thursday", Intent.Book, Intent.None)]
    [InlineData("ok cool, then can I get an oil change on Friday at 3?", Intent.Book, Intent.Affirm)]
    [InlineData("Sure, what about booking a cleaning?", Intent.Book, Intent.Affirm)]
    [InlineData("Yes, and where are you located?", Intent.Location, Intent.Affirm)]
    [InlineData("OK, sounds good, thanks, bye", Intent.Goodbye, Intent.Affirm)]
    [InlineData("yes", Intent.Affirm, Intent.None)]
    [InlineData("Yes that's right, Oscar Lind", Intent.Affirm, Intent.None)]
    public void ClassifyWithClauses_reads_an_acknowledgment_then_a_request_as_the_request(string utterance, Intent expected, Intent secondary)
    {
        var result = IntentClassifier.ClassifyWithClauses(utterance);

        Assert.Equal(expected, result.Intent);
        Assert.Equal(secondary, result.Secondary);
    }
}
