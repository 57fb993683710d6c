using Portal.Domain.Conversations;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Tests.Conversations;

/// <summary>Assertions about what the engine said and did, checked against the real calendar.</summary>
public static class EngineAssert
{
    /// <summary>Every offered slot is free, in the future, and read out in the reply.</summary>
    public static async Task OffersRealFreeSlotsAsync(ConversationHarness h, DialogueReply reply)
    {
        Assert.Equal(PendingQuestion.PickSlot, h.State.Pending);
        Assert.NotEmpty(h.State.Offered);
        var service = h.Profile.FindService(h.State.ServiceId!.Value)!;
        var availability = new AvailabilityService(h.Store, h.Clock);
        foreach (var slot in h.State.Offered)
        {
            Assert.True(slot > h.NowLocal, $"offered {slot} is in the past\n{h.Dump()}");
            Assert.Equal(SlotStatus.Free, await availability.StatusOfAsync(h.Profile, service.DurationMinutes, slot, null, CancellationToken.None));
            Assert.Contains(SpokenFormat.Time(TimeOnly.FromDateTime(slot)), reply.Text, StringComparison.Ordinal);
        }
    }

    /// <summary>The proposed start is free and read back in the reply.</summary>
    public static async Task ProposesFreeSlotAsync(ConversationHarness h, DialogueReply reply)
    {
        var start = Assert.IsType<DateTime>(h.State.ProposedStart);
        var service = h.Profile.FindService(h.State.ServiceId!.Value)!;
        var availability = new AvailabilityService(h.Store, h.Clock);
        Assert.Equal(SlotStatus.Free, await availability.StatusOfAsync(h.Profile, service.DurationMinutes, start, null, CancellationToken.None));
        Assert.Contains(SpokenFormat.Time(TimeOnly.FromDateTime(start)), reply.Text, StringComparison.Ordinal);
    }

    /// <summary>The engine asked for something (a service, a day, a name...) and wrote nothing.</summary>
    public static void AskedWithoutWriting(ConversationHarness h, DialogueReply reply)
    {
        Assert.EndsWith("?", reply.Text, StringComparison.Ordinal);
        Assert.Empty(h.Store.All);
        Assert.DoesNotContain(reply.Actions, a => a.Kind is AgentActionKind.BookingCreated or AgentActionKind.BookingCancelled or AgentActionKind.BookingRescheduled);
    }

    /// <summary>The reply says "I don't know" and offers a message, quoting no knowledge passage.</summary>
    public static void SaysIDontKnow(ConversationHarness h, DialogueReply reply)
    {
        Assert.Contains("don't know", reply.Text, StringComparison.Ordinal);
        Assert.Contains("take a message", reply.Text, StringComparison.Ordinal);
        Assert.Equal(PendingQuestion.OfferMessage, h.State.Pending);
        foreach (var passage in h.Knowledge.Passages)
        {
            Assert.DoesNotContain(passage.Text, reply.Text, StringComparison.Ordinal);
        }
    }
}
