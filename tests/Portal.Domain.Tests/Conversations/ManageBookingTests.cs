using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Conversations;

/// <summary>Cancel and reschedule of existing bookings found by phone, and messages.</summary>
public sealed class ManageBookingTests
{
    private const string Phone = "+12125550142";
    private static readonly DateTime Wednesday10 = new(2026, 11, 25, 10, 0, 0);
    private static readonly DateTime Friday14 = new(2026, 11, 27, 14, 0, 0);

    [Fact]
    public async Task Cancel_FoundByPhone_CancelsAfterConfirmation()
    {
        var h = ConversationHarness.Dental();
        var id = await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);

        var found = await h.SayAllAsync("I need to cancel my appointment", "212 555 0142");
        Assert.Equal("I see your cleaning Wednesday, November 25 at 10 AM. Shall I cancel it?", found.Text);
        Assert.Single(h.Store.Confirmed);

        var done = await h.SayAsync("yes");
        Assert.Equal(ConversationOutcome.Cancelled, done.Outcome);
        Assert.Contains(done.Actions, a => a.Kind == AgentActionKind.BookingCancelled && a.EntityId == id);
        Assert.Empty(h.Store.Confirmed);
    }

    [Fact]
    public async Task Cancel_TwoBookings_AsksWhichAndCancelsTheSecond()
    {
        var h = ConversationHarness.Dental();
        await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);
        var whitening = await h.PreBookAsync("Whitening", Friday14, "Jane Doe", Phone);

        var which = await h.SayAllAsync("cancel my appointment", "2125550142");
        Assert.Contains("I see 2 upcoming appointments: a cleaning Wednesday, November 25 at 10 AM and a whitening Friday, November 27 at 2 PM.", which.Text, StringComparison.Ordinal);

        await h.SayAllAsync("the second one", "yes");

        var left = Assert.Single(h.Store.Confirmed);
        Assert.Equal(Wednesday10, h.LocalStart(left));
        Assert.True(h.Store.All.Single(b => b.Id == whitening).Cancelled);
    }

    [Fact]
    public async Task Cancel_NotConfirmed_KeepsTheBooking()
    {
        var h = ConversationHarness.Dental();
        await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);

        var reply = await h.SayAllAsync("I need to cancel my appointment", "212 555 0142", "no, keep it");

        Assert.Contains("leave your appointment as it is", reply.Text, StringComparison.Ordinal);
        Assert.Single(h.Store.Confirmed);
    }

    [Fact]
    public async Task Reschedule_TwoBookings_MovesTheNamedOne()
    {
        var h = ConversationHarness.Dental();
        var cleaning = await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);
        var whitening = await h.PreBookAsync("Whitening", Friday14, "Jane Doe", Phone);

        await h.SayAllAsync("I need to reschedule my appointment", "212-555-0142", "the whitening");
        var confirm = await h.SayAsync("next Monday at 11");
        Assert.Contains("from Friday, November 27 at 2 PM to Monday, November 30 at 11 AM", confirm.Text, StringComparison.Ordinal);
        var done = await h.SayAsync("yes");

        Assert.Equal(ConversationOutcome.Rescheduled, done.Outcome);
        Assert.Equal(new DateTime(2026, 11, 30, 11, 0, 0), h.LocalStart(h.Store.Confirmed.Single(b => b.Id == whitening)));
        Assert.Equal(Wednesday10, h.LocalStart(h.Store.Confirmed.Single(b => b.Id == cleaning)));
    }

    [Fact]
    public async Task Reschedule_ToATakenSlot_OffersAlternativesAndMovesToTheChosenOne()
    {
        var h = ConversationHarness.Dental();
        var mine = await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);
        await h.PreBookAsync("Cleaning", new DateTime(2026, 11, 27, 10, 0, 0));

        var reply = await h.SayAllAsync("I need to move my appointment", "2125550142", "friday at 10am");
        Assert.Contains("is already taken", reply.Text, StringComparison.Ordinal);
        await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
        var chosen = h.State.Offered[0];

        await h.SayAllAsync("the first one", "yes");

        Assert.Equal(chosen, h.LocalStart(h.Store.Confirmed.Single(b => b.Id == mine)));
    }

    [Fact]
    public async Task Cancel_UnknownPhone_AsksForTheName_ThenFindsIt()
    {
        var h = ConversationHarness.Dental();
        await h.PreBookAsync("Cleaning", Wednesday10, "Jane Doe", Phone);

        var ask = await h.SayAllAsync("I need to cancel my appointment", "646 555 0000");
        Assert.Contains("What name was it booked under?", ask.Text, StringComparison.Ordinal);
        var found = await h.SayAsync("Jane Doe");

        Assert.Contains("I see your cleaning Wednesday, November 25 at 10 AM", found.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_FullFlow_StoresNameNumberAndBody()
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAllAsync("I'd like to leave a message", "Please ask Dr. Lee to call me about my crown", "John Smith", "646 555 0199");

        var message = Assert.Single(h.Store.Messages);
        Assert.Equal(("John Smith", "+16465550199", "Please ask Dr. Lee to call me about my crown"), (message.CallerName, message.CallerPhone, message.Body));
        Assert.DoesNotContain("didn't quite catch", reply.Text, StringComparison.Ordinal);
        Assert.Equal(ConversationOutcome.MessageTaken, reply.Outcome);
    }
}
