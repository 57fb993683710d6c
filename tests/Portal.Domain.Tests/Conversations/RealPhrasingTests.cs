namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// How real callers phrase bookings (seen in the STAR dialogues): "asap" after a time, a bare name while slots are
/// offered, a time ruled out in passing, "the next day", small talk about the service at the read-back, goodbye before "yes".
/// </summary>
public sealed class RealPhrasingTests
{
    private static void AssertBooked(ConversationHarness h, DateTime localStart, string name = "Jane Doe")
    {
        var booking = h.OnlyBooking();
        Assert.True(localStart == h.LocalStart(booking), $"booked {h.LocalStart(booking)}, expected {localStart}\n{h.Dump()}");
        Assert.Equal(name, booking.Booking.CustomerName);
    }

    [Fact]
    public async Task Asap_AfterAnExplicitTime_KeepsTheTime()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i need a cleaning today at 2pm", "Jane Doe", "today asap please", "2125550142", "yes");

        AssertBooked(h, new DateTime(2026, 11, 23, 14, 0, 0));
    }

    [Fact]
    public async Task Asap_Alone_OffersTheEarliestSlots()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync("i need a cleaning asap");

        Assert.StartsWith("The earliest I have is today at 10:30 AM", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareName_WhileSlotsAreOffered_IsTheCallersName()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i'd like a cleaning on wednesday", "Angela");
        Assert.Equal("Angela", h.State.CustomerName);

        await h.SayAllAsync("3pm", "2125550142", "yes");
        AssertBooked(h, new DateTime(2026, 11, 25, 15, 0, 0), "Angela");
    }

    [Fact]
    public async Task Greeting_IsNotAName()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("Hallo :)", "i'd like a cleaning on wednesday", "Howdy");

        Assert.Null(h.State.CustomerName);
    }

    [Fact]
    public async Task TimeRuledOut_AtReadBack_IsStillAYes()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i want a cleaning on wednesday at 2", "Jane Doe", "2125550142", "yes, I don't think I could do it at 2 am.");

        AssertBooked(h, new DateTime(2026, 11, 25, 14, 0, 0));
    }

    [Fact]
    public async Task FallbackTime_IfNotAvailable_AsksForTheFirstChoice()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("a cleaning on wednesday at 10 am please, if not then 11 am", "Jane Doe", "2125550142", "yes");

        AssertBooked(h, new DateTime(2026, 11, 25, 10, 0, 0));
    }

    [Fact]
    public async Task TheNextDay_AtReadBack_MovesOneDayAndKeepsTheTime()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("a cleaning on tuesday at 3pm", "Jane Doe", "2125550142", "Oh no, try the next day please");

        Assert.Contains("Wednesday, November 25 at 3 PM", reply.Text, StringComparison.Ordinal);
        await h.SayAsync("ah great, yes please");
        AssertBooked(h, new DateTime(2026, 11, 25, 15, 0, 0));
    }

    [Fact]
    public async Task SameServiceMentioned_AtReadBack_IsAYes()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("a cleaning on wednesday at 10", "Jane Doe", "2125550142", "great, I really need that cleaning");

        AssertBooked(h, new DateTime(2026, 11, 25, 10, 0, 0));
    }

    [Fact]
    public async Task Goodbye_BeforeTheBookingIsMade_AsksOnceThenLetsGo()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("a cleaning on wednesday at 10", "Jane Doe", "2125550142", "thanks, bye");

        Assert.StartsWith("Before you go, I haven't booked it yet. Just to confirm:", reply.Text, StringComparison.Ordinal);
        Assert.False(h.State.Ended);
        await h.SayAsync("bye");
        Assert.True(h.State.Ended);
        Assert.Empty(h.Store.All);
    }

    [Fact]
    public async Task Goodbye_WithoutADay_AsksForTheDay()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("My name is Jane Doe. I'd like a cleaning at 2 pm.", "Thanks so much, that is all.");

        Assert.Contains("What day would you like to come in at 2 PM?", reply.Text, StringComparison.Ordinal);
        await h.SayAllAsync("wednesday", "2125550142", "yes");
        AssertBooked(h, new DateTime(2026, 11, 25, 14, 0, 0));
    }

    [Fact]
    public async Task TimeWithAsideAboutAFee_IsTheTime()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("i'd like a cleaning on wednesday", "I can be there at 3pm. I really cannot remember if I paid the fee.");

        Assert.StartsWith("Wednesday, November 25 at 3 PM is available.", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartOfDay_MatchingTheTime_KeepsTheTime()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("a cleaning on tuesday at 3pm", "Jane Doe", "2125550142", "can we make it wednesday afternoon instead", "yes");

        AssertBooked(h, new DateTime(2026, 11, 25, 15, 0, 0));
    }

    [Fact]
    public async Task PickingAnOfferedSlot_AfterAsap_Books()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i need a cleaning as soon as possible", "the second one", "Jane Doe", "2125550142", "yes");

        AssertBooked(h, new DateTime(2026, 11, 23, 11, 0, 0));
    }

    [Fact]
    public async Task LaterTime_AtReadBack_OffersLaterSlotsThatDay()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("a cleaning on wednesday at 2pm", "Jane Doe", "2125550142", "Try a later time");

        Assert.StartsWith("Later than 2 PM, I have Wednesday, November 25 at 2:30 PM", reply.Text, StringComparison.Ordinal);
        await h.SayAllAsync("the first one", "yes");
        AssertBooked(h, new DateTime(2026, 11, 25, 14, 30, 0));
    }

    [Fact]
    public async Task AnythingEarlier_ThanASaidTime_OffersEarlierSlots()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("i'd like a cleaning on wednesday", "I wanted to do 3, but I have a meeting. Is there anything earlier?");

        Assert.StartsWith("Earlier than 3 PM, I have Wednesday, November 25 at 2:30 PM", reply.Text, StringComparison.Ordinal);
    }
}
