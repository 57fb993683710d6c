using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using static Portal.Domain.Tests.Conversations.Answers.AnswerBusinesses;

namespace Portal.Domain.Tests.Conversations.Answers;

/// <summary>
/// Classes of wording a new user's own test found after the first round of answer work: "is X something you offer?"
/// asked in any word order, a price for a person rather than a variant ("my 8 year old"), a question about getting
/// ready for a visit that names a service (not a booking request), and "so am I booked?" (the caller's own booking,
/// which no document answers). Each class in several wordings and businesses; none of these sentences is special-cased.
/// </summary>
public sealed class EverydayWordingTests
{
    /// <summary>Business, a whether-you-offer question in a word order other than "do you do X", a fragment that must follow "Yes,".</summary>
    public static TheoryData<string, string, string> OfferedAnyWordOrder => new()
    {
        { Salon, "is balayage something you guys offer?", "balayage" },
        { Salon, "balayage, is that something you do?", "balayage" },
        { Salon, "any chance you do foils", "foils" },
        { Salon, "are you able to do gel nails?", "$35" },
        { Salon, "is hair colour a thing you do?", "$120" },
        { Dentist, "is teeth whitening something you offer?", "$350" },
        { Dentist, "are you guys able to do crowns?", "$1,200" },
        { Garage, "brake pads, is that something you work on?", "Brake Service" },
        { Garage, "any chance you guys do tire rotation?", "$39" },
        { Therapist, "is couples counseling something you offer?", "$210" },
        { Therapist, "do you offer couples counseling?", "$210" },
    };

    [Theory]
    [MemberData(nameof(OfferedAnyWordOrder))]
    public async Task WhetherOffered_InAnyWordOrder_GetsYesFirst_AndOneAnswer(string business, string question, string fragment)
    {
        foreach (var channel in new[] { Channel.WebChat, Channel.Voice })
        {
            var h = Create(business, channel, instructions: "");
            var reply = await h.SayAsync(question);

            Assert.StartsWith("Yes,", reply.Text, StringComparison.Ordinal);
            Assert.Contains(fragment, reply.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(reply.Text, @"\$\d")); // one price said once, no second answer
            Assert.Equal(DialogueFlow.None, h.State.Flow);
        }
    }

    /// <summary>Business, a price question naming a person rather than a variant, the variant's price, the plain service's price (never said).</summary>
    public static TheoryData<string, string, string, string> PersonPrices => new()
    {
        { Salon, "what would a trim for my 8 year old cost?", "$30", "$62" },
        { Salon, "how much is a haircut for my son?", "$30", "$62" },
        { Salon, "my daughter is ten, what's a cut for her?", "$30", "$62" },
        { Salon, "how much for a haircut for my husband", "$45", "$62" },
        { Salon, "what do you charge for my 6-year-old's haircut", "$30", "$62" },
        { Dentist, "how much is a cleaning for my 7 year old?", "$80", "$120" },
        { Dentist, "what does a cleaning cost for my little one", "$80", "$120" },
    };

    [Theory]
    [MemberData(nameof(PersonPrices))]
    public async Task PriceForAPerson_ComesFromTheVariantThatCoversThem(string business, string question, string price, string plain)
    {
        var h = Create(business, Channel.WebChat, instructions: "");
        var reply = await h.SayAsync(question);

        Assert.Contains(price, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Questions about getting ready for a visit, several naming a service: questions, never booking requests.</summary>
    public static TheoryData<string> PreparationQuestions => new()
    {
        "do I have to do anything before I come in for colour?",
        "anything I should know before my first visit?",
        "what should I do before my colour appointment",
        "what do I need to bring to my cleaning?",
        "how should I prepare for a crown?",
        "is there anything I need to do before the whitening",
        "should I wash my hair before a haircut?",
        "what to expect at my first therapy session?",
        "before I book, is there any prep I need to do for a colour?",
        "what prep is needed for a crown",
    };

    [Theory]
    [MemberData(nameof(PreparationQuestions))]
    public void PreparationQuestion_IsAQuestion_NotABookingRequest(string question)
    {
        var result = IntentClassifier.ClassifyWithClauses(question);

        Assert.Equal(Intent.Question, result.Intent);
    }

    [Theory]
    [InlineData(Salon, "do I have to do anything before my first haircut?", "10 minutes early")]
    [InlineData(Salon, "anything I should know before my first visit?", "10 minutes early")]
    [InlineData(Garage, "what do I need to bring when I drop off my car for an oil change?", "keys")]
    public async Task PreparationQuestion_IsAnsweredFromKnowledge_AndStartsNoBooking(string business, string question, string fragment)
    {
        var h = Create(business, Channel.WebChat, instructions: business == Garage ? null : "");
        var reply = await h.SayAsync(question);

        Assert.Contains(fragment, reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DialogueFlow.None, h.State.Flow);
        Assert.DoesNotContain("What day", reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Asking for room in the calendar, with a day and a service, in wordings without a booking verb.</summary>
    [Theory]
    [InlineData("do you have room Saturday morning for my son's cut?")]
    [InlineData("any room on Friday afternoon for a haircut?")]
    [InlineData("have you got a spot Thursday for highlights")]
    [InlineData("could you pencil me in for a manicure on Wednesday")]
    public async Task RoomInTheCalendar_WithADayAndAService_StartsTheBooking(string request)
    {
        var h = Create(Salon, Channel.WebChat, instructions: "");

        var reply = await h.SayAsync(request);

        Assert.Equal(DialogueFlow.Book, h.State.Flow);
        Assert.NotNull(h.State.ServiceId);
        Assert.DoesNotContain("don't know", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("late afternoon ideally", 15)]
    [InlineData("mid afternoon would suit", 14)]
    [InlineData("late morning if possible", 10)]
    public async Task BoundedPartOfTheDay_AfterASlotList_OffersOnlyTimesFromItsStart(string answer, int fromHour)
    {
        var h = Create(Salon, Channel.WebChat, instructions: "");
        await h.SayAsync("have you got any space next Thursday for a colour?");

        await h.SayAsync(answer);

        Assert.NotEmpty(h.State.Offered.Concat(h.State.ProposedStart is { } p ? [p] : []));
        Assert.All(h.State.Offered.Concat(h.State.ProposedStart is { } q ? [q] : []), t => Assert.True(t.Hour >= fromHour, $"{t:HH:mm} offered for \"{answer}\""));
    }

    /// <summary>Ways callers ask whether they are booked after the read-back.</summary>
    public static TheoryData<string> BookedYet => new()
    {
        "so is that me booked then?",
        "so am I booked?",
        "did that go through?",
        "am I all set?",
        "so that's me booked in?",
        "have you booked me in?",
    };

    [Theory]
    [MemberData(nameof(BookedYet))]
    public async Task AskingWhetherBooked_AfterTheReadBack_BooksIt(string question)
    {
        var h = Create(Salon, Channel.WebChat, instructions: "");
        await h.SayAsync("I'd like highlights with Maya next Tuesday at 2pm");
        await h.SayAsync("Dana Whitfield");
        var readBack = await h.SayAsync("503-555-0188");
        Assert.Contains("Shall I book that?", readBack.Text, StringComparison.Ordinal);

        var reply = await h.SayAsync(question);

        Assert.Contains("You're all set", reply.Text, StringComparison.Ordinal);
        Assert.Equal(ConversationOutcome.Booked, reply.Outcome);
        Assert.DoesNotContain("booking notes", reply.Text, StringComparison.Ordinal);

        var again = await h.SayAsync("sorry, so am I booked?");
        Assert.StartsWith("Yes, you're booked", again.Text, StringComparison.Ordinal);
        Assert.Contains("highlights", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingWhetherBooked_BeforeAnyDetails_SaysNotYet_AndKeepsTheQuestionOpen()
    {
        var h = Create(Salon, Channel.WebChat, instructions: "");
        await h.SayAsync("I'd like a haircut on Friday at 10am");

        var reply = await h.SayAsync("so am I booked?");

        Assert.StartsWith("Not yet", reply.Text, StringComparison.Ordinal);
        Assert.Contains("name", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DialogueFlow.Book, h.State.Flow);
    }

    [Fact]
    public async Task AskingWhetherBooked_WithNoBooking_OffersToBook_AndNeverQuotesADocument()
    {
        var h = Create(Salon, Channel.WebChat, instructions: "");

        var reply = await h.SayAsync("so am I booked?");

        Assert.Contains("don't see a booking", reply.Text, StringComparison.Ordinal);
        Assert.Empty(h.DocumentSentencesIn(reply.Text));
    }
}
