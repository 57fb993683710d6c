using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Conversations;

/// <summary>Bookings end to end over several turns, each checked against what was written in the calendar.</summary>
public sealed class BookingScenarioTests
{
    private static readonly DateTime Tuesday = new(2026, 11, 24, 0, 0, 0);

    private static void AssertBooked(ConversationHarness h, string service, DateTime localStart, string name, string phone)
    {
        var booking = h.OnlyBooking();
        Assert.True(booking.Booking.ServiceId == h.Service(service).Id, h.Dump());
        Assert.True(localStart == h.LocalStart(booking), $"booked {h.LocalStart(booking)}, expected {localStart}\n{h.Dump()}");
        Assert.Equal(name, booking.Booking.CustomerName);
        Assert.Equal(phone, booking.Booking.CustomerPhone);
    }

    [Fact]
    public async Task Book_HappyPath_ReadsBackThenWritesTheBooking()
    {
        var h = ConversationHarness.Dental();
        var first = await h.SayAsync("Hi, I'd like a cleaning tomorrow at 10am");
        Assert.StartsWith("Tomorrow, Tuesday, November 24 at 10 AM is available. May I have your name", first.Text, StringComparison.Ordinal);
        await h.SayAsync("Jane Doe");
        var readBack = await h.SayAsync("212 555 0142");
        Assert.Equal("Just to confirm: a cleaning tomorrow, Tuesday, November 24 at 10 AM for Jane Doe, and we can reach you at (212) 555-0142. Shall I book that?", readBack.Text);
        Assert.Empty(h.Store.All);

        var done = await h.SayAsync("yes");

        Assert.Equal(ConversationOutcome.Booked, done.Outcome);
        Assert.Contains(done.Actions, a => a.Kind == AgentActionKind.BookingCreated);
        AssertBooked(h, "Cleaning", Tuesday.AddHours(10), "Jane Doe", "+12125550142");
    }

    [Fact]
    public async Task Book_WhenSlotTaken_OffersNearestFreeSlots_AndTheFirstOneBooksIt()
    {
        var h = ConversationHarness.Dental();
        await h.PreBookAsync("Cleaning", Tuesday.AddHours(10));
        var reply = await h.SayAsync("i'd like a cleaning tomorrow at 10");

        Assert.Contains("tomorrow at 10 AM is already taken", reply.Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        var first = h.State.Offered[0];
        Assert.Equal(DateOnly.FromDateTime(Tuesday), DateOnly.FromDateTime(first));

        await h.SayAllAsync("the first one", "Bob Smith", "6465550123", "yes");

        AssertBooked(h, "Cleaning", first, "Bob Smith", "+16465550123");
        Assert.Equal(2, h.Store.Confirmed.Count);
    }

    [Theory]
    [InlineData("i need a cleaning on sunday", "We're closed on Sunday, November 29.")]
    [InlineData("can i book a cleaning on the 26th", "We're closed on Thursday, November 26 for Thanksgiving.")]
    [InlineData("cleaning on thursday at 10 please", "We're closed on Thursday, November 26 for Thanksgiving.")]
    public async Task Book_OnClosedDay_SaysClosedAndOffersNextOpenSlots(string utterance, string closed)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.StartsWith(closed, reply.Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        Assert.All(h.State.Offered, s => Assert.NotEmpty(h.Profile.IntervalsOn(DateOnly.FromDateTime(s))));

        await h.SayAllAsync("the first one works", "Jane Doe", "2125550142", "yes");
        Assert.NotEqual(DayOfWeek.Sunday, h.LocalStart(h.OnlyBooking()).DayOfWeek);
    }

    [Fact]
    public async Task Book_InThePast_SaysItHasPassedAndOffersLaterSlots()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("i'd like a cleaning today at 8am");

        Assert.StartsWith("Today at 8 AM has already passed.", reply.Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        Assert.All(h.State.Offered, s => Assert.True(s >= h.NowLocal.AddMinutes(60)));
    }

    [Fact]
    public async Task Book_OutsideHours_SaysSoWithThatDaysHours()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("can i book a cleaning tomorrow at 7pm");

        Assert.Contains("is outside our opening hours. Tomorrow we're open from 8 AM to 5 PM.", reply.Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
    }

    [Theory]
    [InlineData("cleaning tomorrow at 3", 15)]
    [InlineData("consultation on tuesday at 2", 14)]
    [InlineData("can i do a cleaning tomorrow at 9", 9)]
    public async Task Book_HourWithoutAmPm_InfersTheBusinessHalfOfTheDay(string utterance, int hour)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Equal(Tuesday.AddHours(hour), h.State.ProposedStart);
        await EngineAssert.ProposesFreeSlotAsync(h, reply);
    }

    [Fact]
    public async Task Book_NextWeek_OffersTheFirstOpeningsFromNextMonday()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("i need a cleaning next week");

        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        Assert.All(h.State.Offered, s => Assert.True(DateOnly.FromDateTime(s) >= new DateOnly(2026, 11, 30)));
    }

    [Fact]
    public async Task Book_TheFifth_MeansTheNextFifth()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("cleaning on the 5th please");

        Assert.Equal(new DateOnly(2026, 12, 5), h.State.Date);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        Assert.All(h.State.Offered, s => Assert.Equal(new DateOnly(2026, 12, 5), DateOnly.FromDateTime(s)));
    }

    [Fact]
    public async Task Book_FridayOnAFriday_MeansTodayAndOffersOnlyLaterSlots()
    {
        var h = ConversationHarness.Dental(new DateTime(2026, 11, 27, 9, 15, 0));
        var reply = await h.SayAsync("can i get a cleaning friday");

        Assert.Equal(new DateOnly(2026, 11, 27), h.State.Date);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
    }

    [Fact]
    public async Task Book_DateWithoutTime_OffersThatDay_AndAfternoonFilters()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("i'd like a cleaning on wednesday");
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        Assert.All(h.State.Offered, s => Assert.Equal(new DateOnly(2026, 11, 25), DateOnly.FromDateTime(s)));

        var afternoon = await h.SayAsync("in the afternoon");

        await EngineAssert.OffersRealFreeSlotsAsync(h, afternoon);
        Assert.All(h.State.Offered, s => Assert.InRange(s.Hour, 12, 16));
        Assert.All(h.State.Offered, s => Assert.Equal(new DateOnly(2026, 11, 25), DateOnly.FromDateTime(s)));
    }

    [Fact]
    public async Task Book_NoAtReadBack_WritesNothing()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("i want a cleaning on wednesday at 10", "Jane Doe", "2125550142", "no");

        Assert.Contains("What would you like to change", reply.Text, StringComparison.Ordinal);
        Assert.Empty(h.Store.All);
    }

    [Fact]
    public async Task Book_PriceQuestionWhileAskedForName_AnswersThenAsksAgain()
    {
        var h = ConversationHarness.Dental();
        await h.SayAsync("i want a cleaning on wednesday at 10");
        var reply = await h.SayAsync("how much is a cleaning?");

        Assert.Equal("It's $120, and a cleaning takes about an hour. May I have your name, please?", reply.Text);
        Assert.Equal(PendingQuestion.Name, h.State.Pending);

        await h.SayAllAsync("Jane Doe", "2125550142", "yes");
        AssertBooked(h, "Cleaning", new DateTime(2026, 11, 25, 10, 0, 0), "Jane Doe", "+12125550142");
    }

    [Fact]
    public async Task Book_StepByStep_AsksForEachSlot()
    {
        var h = ConversationHarness.Dental();
        Assert.Contains("Which service", (await h.SayAsync("i'd like to book an appointment")).Text, StringComparison.Ordinal);
        Assert.Contains("What day", (await h.SayAsync("cleaning")).Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, await h.SayAsync("tomorrow"));
        await h.SayAllAsync("10:30", "Maria Garcia", "my number is 917 555 0123", "yep that's right");

        AssertBooked(h, "Cleaning", Tuesday.AddHours(10.5), "Maria Garcia", "+19175550123");
    }
}
