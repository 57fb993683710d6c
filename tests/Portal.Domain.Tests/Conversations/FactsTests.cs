using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Conversations;

/// <summary>Hours, address and prices answered from the business's own facts.</summary>
public sealed class FactsTests
{
    private const string Week = "Monday to Friday from 8 AM to 5 PM and Saturday from 9 AM to 1 PM";
    private const string Weekday = "open from 8 AM to 5 PM";
    private const string Saturday = "open from 9 AM to 1 PM";
    private const string Sunday = "closed on Sunday";
    private const string Thanksgiving = "closed Thursday, November 26 for Thanksgiving";

    /// <summary>Utterance and a fragment the reply must contain (Monday 2026-11-23, 09:15).</summary>
    public static TheoryData<string, string> HoursQuestions => new()
    {
        { "What are your hours?", Week },
        { "when are you open", Week },
        { "Are you open on Saturday?", "On Saturday, November 28 we're " + Saturday },
        { "what time do you close today", "Today we're " + Weekday },
        { "Are you open Sunday?", "We're closed on Sunday, November 29" },
        { "what time do you open tomorrow", "Tomorrow we're " + Weekday },
        { "Are you open on Thanksgiving?", "We're closed on Thursday, November 26 for Thanksgiving" },
        { "What are your opening hours?", Week },
        { "are you open on saturdays", Saturday },
        { "What time do you open in the morning?", Week },
        { "are you open tomorrow", "Tomorrow we're " + Weekday },
        { "Are you open this weekend?", Sunday },
        { "what r ur hours", Week },
        { "How late are you open on Friday?", "On Friday, November 27 we're " + Weekday },
        { "Are you guys open on Sundays at all?", "We're closed on Sunday" },
        { "what are your business hours", Week },
        { "When do you close on Saturday?", Saturday },
        { "Are you open right now?", "We're open right now until 5 PM" },
        { "What days are you open?", Week },
        { "are you open on the 26th", "We're closed on Thursday, November 26 for Thanksgiving" },
        { "hi um what time do you open on monday", "Today we're " + Weekday },
        { "What are your hours on Wednesday?", "On Wednesday, November 25 we're " + Weekday },
        { "Is the office open on Sunday?", "We're closed on Sunday" },
        { "are you open late", Week },
        { "what time are you open until tonight", "Today we're " + Weekday },
        { "what are the office hours", Week },
        { "Are you open on Thursday November 26?", "We're closed on Thursday, November 26 for Thanksgiving" },
        { "When does the office open on Saturday?", Saturday },
        { "Are you closed on Sundays?", "We're closed on Sunday" },
        { "What time do you close on Fridays?", "On Friday, November 27 we're " + Weekday },
        { "are you open on december 5th", "On Saturday, December 5 we're " + Saturday },
        { "do you open early", Week },
        { "What hours are you open this Saturday?", Saturday },
        { "How early do you open?", Week },
        { "when do you guys open tomorrow morning", "Tomorrow we're " + Weekday },
        { "hours?", Week },
        { "Can you tell me your hours of operation?", Week },
        { "Are you open today?", "Today we're " + Weekday },
        { "are you open thanksgiving day", "We're closed on Thursday, November 26 for Thanksgiving" },
        { "are you open this thursday", "We're closed on Thursday, November 26 for Thanksgiving" },
        { "what time do you open on tuesday", "Tomorrow we're " + Weekday },
    };

    [Theory]
    [MemberData(nameof(HoursQuestions))]
    public async Task HoursQuestion_AnswersTheRealHoursForThatDay(string utterance, string expected)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Equal(Intent.Hours, reply.Intent);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sunday from", reply.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> LocationQuestions => new()
    {
        "Where are you located?", "what's your address", "where r u", "Can you give me directions?", "Where is your office?",
        "How do I get to you?", "What's the address of the clinic?", "where is the office located", "hi um where are you guys",
        "What street are you on?", "whats ur address", "I need your address please", "address?", "what is the location",
        "Can you send me your address", "where are you located at", "Where's your clinic?", "what's the address there",
        "uh where is your location", "What is your street address?", "Where are you based?", "Can you tell me the address of the office?",
        "what city are you in", "Can I get the address?", "Where's the practice located?", "Hi, what's your location?",
        "Are you located downtown?", "how do i get there", "Could I get directions to your office?", "what's the address for the office",
        "What's your exact address?", "where's your office at", "Where are you guys located?", "whats the adress",
        "Can you remind me of your address?", "What's the office address?", "where is ur office", "hey where are you located",
        "Could you give me the address please?", "Where is the clinic located?", "where are you",
        "Where exactly are you?", "Where can I find you?", "Could you tell me where the practice is?", "I'm trying to find your office, where is it?",
        "Which part of town are you in?", "What neighborhood are you in?", "where do i go", "where is the dentist office", "Where's the dental office?",
        "How do I find your office?", "Where should I go for my appointment?",
    };

    [Theory]
    [MemberData(nameof(LocationQuestions))]
    public async Task LocationQuestion_GivesTheAddress(string utterance)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Contains(ConversationHarness.Address, reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Utterance and the price the reply must quote ("list" = every service with its price).</summary>
    public static TheoryData<string, string> PriceQuestions => new()
    {
        { "How much is a cleaning?", "$120" }, { "what do you charge for teeth whitening", "$350" },
        { "How much does a consultation cost?", "$75" }, { "What services do you offer?", "list" },
        { "what's the price of a cleaning", "$120" }, { "how much for an emergency visit", "$180" },
        { "Do you do whitening?", "$350" }, { "What's the cost of a new patient visit?", "$75" },
        { "hi um how much is it to get my teeth cleaned", "$120" }, { "what kind of services do you have", "list" },
        { "how much is whitening", "$350" }, { "What are your prices?", "list" },
        { "how much do you charge for a checkup", "$120" }, { "Do you offer teeth whitening?", "$350" },
        { "How much would an exam cost?", "$120" }, { "what's the fee for a consultation", "$75" },
        { "whats the cost for bleaching", "$350" }, { "What do you guys do?", "list" },
        { "how much is a dental cleaning", "$120" }, { "price for a cleaning?", "$120" },
        { "How much is an emergency appointment?", "$180" }, { "What treatments do you offer?", "list" },
        { "what does a whitening cost", "$350" }, { "can you tell me how much a consult is", "$75" },
        { "What's the price list?", "list" }, { "How much will it cost to fix a broken tooth?", "$180" },
        { "How much is a teeth cleaning without insurance?", "$120" }, { "What does an exam cost?", "$120" },
        { "how much r cleanings", "$120" }, { "what's the charge for whitening", "$350" },
        { "Tell me about your services", "list" }, { "How much is the first visit?", "$75" },
        { "whats your price for a check-up", "$120" }, { "How much do you charge?", "list" },
        { "Do you do cleanings?", "$120" }, { "what services do you provide", "list" },
        { "how much for teeth whitening", "$350" }, { "What's the cost of a cleaning and exam?", "$120" },
        { "I was wondering how much a consultation is", "$75" }, { "How much is a toothache visit?", "$180" },
        { "how much does bleaching cost", "$350" },
        { "how expensive is a cleaning", "$120" },
    };

    [Theory]
    [MemberData(nameof(PriceQuestions))]
    public async Task PriceQuestion_QuotesTheRealPriceOrListsServices(string utterance, string expected)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        if (expected == "list")
        {
            Assert.Contains("We offer Cleaning ($120), Consultation ($75), Emergency ($180) and Whitening ($350)", reply.Text, StringComparison.Ordinal);
        }
        else if (Portal.Domain.Conversations.Answers.QuestionShape.Of(utterance).AsksWhetherOffered)
        {
            // "Do you do whitening?" is a yes/no question: yes first, then the price.
            Assert.StartsWith("Yes, we do ", reply.Text, StringComparison.Ordinal);
            Assert.Contains($"it's {expected}", reply.Text, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith($"It's {expected}", reply.Text, StringComparison.Ordinal);
        }

        Assert.Empty(h.Store.All);
    }
}
