namespace Portal.Domain.Tests.Conversations;

/// <summary>Callers who change the service, day or time mid-flow or at the read-back: the later words win.</summary>
public sealed class ChangeOfMindTests
{
    private static void AssertBooked(ConversationHarness h, string service, DateTime localStart)
    {
        var booking = h.OnlyBooking();
        Assert.True(booking.Booking.ServiceId == h.Service(service).Id, h.Dump());
        Assert.True(localStart == h.LocalStart(booking), $"booked {h.LocalStart(booking)}, expected {localStart}\n{h.Dump()}");
        Assert.Equal("Jane Doe", booking.Booking.CustomerName);
        Assert.Equal("+12125550142", booking.Booking.CustomerPhone);
    }

    [Fact]
    public async Task ChangeDay_WhileAskedForPhone_KeepsTimeAndMovesTheDay()
    {
        var h = ConversationHarness.Dental(new DateTime(2026, 11, 30, 9, 15, 0));
        await h.SayAllAsync("i want a cleaning on wednesday at 10", "Jane Doe", "actually make it Thursday");
        await h.SayAllAsync("2125550142", "yes");

        AssertBooked(h, "Cleaning", new DateTime(2026, 12, 3, 10, 0, 0));
    }

    [Fact]
    public async Task ChangeDay_AtReadBack_ReadsBackTheNewDay()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("i want a cleaning on wednesday at 10", "Jane Doe", "2125550142", "actually make it Friday");

        Assert.Contains("Friday, November 27 at 10 AM", reply.Text, StringComparison.Ordinal);
        Assert.Empty(h.Store.All);
        await h.SayAsync("yes");
        AssertBooked(h, "Cleaning", new DateTime(2026, 11, 27, 10, 0, 0));
    }

    [Fact]
    public async Task ChangeTime_AtReadBack_BooksTheNewTime()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i want a cleaning on wednesday at 10", "Jane Doe", "2125550142", "no wait, 2pm instead", "yes");

        AssertBooked(h, "Cleaning", new DateTime(2026, 11, 25, 14, 0, 0));
    }

    [Fact]
    public async Task ChangeService_AtReadBack_BooksTheNewService()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("i want a cleaning on wednesday at 10", "Jane Doe", "2125550142", "can we do a consultation instead");

        Assert.StartsWith("Just to confirm: a consultation", reply.Text, StringComparison.Ordinal);
        await h.SayAsync("yes");
        AssertBooked(h, "Consultation", new DateTime(2026, 11, 25, 10, 0, 0));
    }

    [Fact]
    public async Task ChangeService_WhileAskedForName_KeepsTheSlot()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("can i book a whitening tomorrow at 11", "actually i'd rather do a cleaning", "Jane Doe", "2125550142", "yes");

        AssertBooked(h, "Cleaning", new DateTime(2026, 11, 24, 11, 0, 0));
    }

    [Fact]
    public async Task ChangeTime_WhilePickingSlots_UsesTheNewTime()
    {
        var h = ConversationHarness.Dental();
        await h.SayAllAsync("i'd like a cleaning on wednesday", "hmm none of those, how about 3pm", "Jane Doe", "2125550142", "yes");

        AssertBooked(h, "Cleaning", new DateTime(2026, 11, 25, 15, 0, 0));
    }
}
