using Portal.Data.Entities;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Brain.Sentiment;
using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Brain;

public sealed class ConversationAnalyzerTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static AnalysisInput Input(Industry industry, ConversationOutcome outcome, IReadOnlyList<AnalysisTurn> turns,
        DialogueState? state = null, IReadOnlyList<AnalysisBooking>? bookings = null, string? name = null, bool contact = false,
        bool returning = false, IReadOnlyList<string>? messages = null) =>
        new(industry, Zone, Channel.Voice, outcome, name, contact, returning, turns, state ?? new DialogueState(), bookings ?? [], messages ?? []);

    private static AnalysisTurn Caller(int seq, string text, string? intent = null) => new(seq, Speaker.Customer, text, intent);

    private static AnalysisTurn Agent(int seq, string text) => new(seq, Speaker.Agent, text, null);

    [Fact]
    public void Analyze_BookedAutoRepairCall_SummarisesAndScoresAndExtractsVehicle()
    {
        var turns = new[]
        {
            Agent(0, "Thanks for calling Joe's Garage, how can I help?"),
            Caller(1, "Hi, my 2014 Honda Civic has a check engine light on, how much is a diagnostic?", "Question"),
            Agent(2, "A diagnostic is $95. Would you like to book?"),
            Caller(3, "Yes please, tomorrow morning", "Book"),
            Agent(4, "Booked for 9 am."),
            Caller(5, "Great, thank you so much!", "Thanks"),
        };
        var booking = new AnalysisBooking("Diagnostic", new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero), 9500, BookingStatus.Confirmed);
        var draft = ConversationAnalyzer.Analyze(Input(Industry.AutoRepair, ConversationOutcome.Booked, turns, bookings: [booking], name: "Dana", contact: true));

        Assert.Equal(["book", "price", "question"], draft.Intents);
        Assert.StartsWith("Dana called about booking, prices and questions.", draft.Summary, StringComparison.Ordinal);
        Assert.Contains("check engine light", draft.Summary, StringComparison.Ordinal);
        Assert.EndsWith("Booked Diagnostic for Tuesday, December 8 at 9:00 AM ($95).", draft.Summary, StringComparison.Ordinal);
        Assert.Equal("Honda Civic", draft.Fields["vehicle"]);
        Assert.Equal("2014", draft.Fields["year"]);
        Assert.Equal("check engine light", draft.Fields["problem"]);
        Assert.True(draft.Sentiment > 0.3, $"sentiment {draft.Sentiment}");
        Assert.Equal([5, 3], draft.SentimentTurns);
        Assert.Equal(10 + 40 + 15 + 10 + 5, draft.LeadScore);
        Assert.Contains("Booked (+40)", draft.LeadReasons);
        Assert.False(draft.FollowUpNeeded);
    }

    [Fact]
    public void Analyze_AngryCallerWhoAskedForAPerson_NeedsFollowUpWithReasons()
    {
        var turns = new[]
        {
            Caller(0, "This is ridiculous, I've been waiting two weeks and nobody called me back", "Question"),
            Agent(1, "I'm sorry to hear that."),
            Caller(2, "I want to talk to a real person, this is terrible service", "Human"),
        };
        var state = new DialogueState { StaffNotes = { "Why was I charged twice?" } };
        var draft = ConversationAnalyzer.Analyze(Input(Industry.Dental, ConversationOutcome.Answered, turns, state, contact: true));

        Assert.True(draft.Sentiment < -0.4, $"sentiment {draft.Sentiment}");
        Assert.Equal([0, 2], draft.SentimentTurns);
        Assert.True(draft.FollowUpNeeded);
        Assert.Contains("Asked for a person and was not transferred", draft.FollowUpReason, StringComparison.Ordinal);
        Assert.Contains("Why was I charged twice?", draft.FollowUpReason, StringComparison.Ordinal);
        Assert.Contains("Sounded unhappy", draft.FollowUpReason, StringComparison.Ordinal);
        Assert.Contains("Negative tone (-10)", draft.LeadReasons);
    }

    [Theory]
    [InlineData(Industry.Dental, "I'm a new patient and I have Delta Dental", "patient", "new")]
    [InlineData(Industry.Dental, "I've been coming for years, no insurance though", "insurance", "none (self-pay)")]
    [InlineData(Industry.Hvac, "Our furnace stopped working and we have no heat", "urgency", "urgent")]
    [InlineData(Industry.Hvac, "I'd like the heat pump serviced sometime next month", "system", "heat pump")]
    [InlineData(Industry.Salon, "Can I get a haircut with Jessica on Friday?", "stylist", "Jessica")]
    [InlineData(Industry.Legal, "I need help with a custody case", "matter", "custody")]
    public void Analyze_ExtractsTheTemplatesFields(Industry industry, string said, string key, string expected)
    {
        var draft = ConversationAnalyzer.Analyze(Input(industry, ConversationOutcome.Answered, [Caller(0, said)]));
        Assert.Equal(expected, draft.Fields[key]);
    }

    [Fact]
    public void Analyze_MessageTaken_QuotesTheMessageAndAsksForCallback()
    {
        var draft = ConversationAnalyzer.Analyze(Input(Industry.Other, ConversationOutcome.MessageTaken,
            [Caller(0, "Can someone call me back about the invoice?", "Message")], messages: ["Call back about the invoice"]));
        Assert.EndsWith("Left a message for the team: \u201cCall back about the invoice\u201d.", draft.Summary, StringComparison.Ordinal);
        Assert.True(draft.FollowUpNeeded);
        Assert.Contains("Wants a callback (+15)", draft.LeadReasons);
    }

    [Theory]
    [InlineData("The service was great", 1)]
    [InlineData("The service was not great", -1)]
    [InlineData("The service was terrible", -1)]
    [InlineData("I'd like an appointment on Monday", 0)]
    public void Sentiment_FollowsVaderRules(string text, int sign) => Assert.Equal(sign, Math.Sign(SentimentScorer.Compound(text)));

    [Fact]
    public void Sentiment_BoostersCapsAndExclamationsStrengthen_ButWeightsTheSecondClause()
    {
        Assert.True(SentimentScorer.Compound("The staff was very good!!") > SentimentScorer.Compound("The staff was good"));
        Assert.True(SentimentScorer.Compound("The staff was GOOD today") > SentimentScorer.Compound("The staff was good today"));
        Assert.True(SentimentScorer.Compound("The price was bad but the staff were great") > 0);
        Assert.True(SentimentScorer.LexiconSize > 100);
    }
}
