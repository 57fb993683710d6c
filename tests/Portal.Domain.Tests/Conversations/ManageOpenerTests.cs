using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Conversations;

/// <summary>First utterances of callers who want to cancel or move an appointment.</summary>
public sealed class ManageOpenerTests
{
    private const string CallerId = "+12125550142";

    /// <summary>Utterance, and whether it asks to move (true) or cancel (false).</summary>
    public static TheoryData<string, bool> Openers => new()
    {
        { "I need to cancel my appointment", false },
        { "i have to cancel my cleaning tomorrow", false },
        { "Can I reschedule my appointment?", true },
        { "i need to move my appointment to another day", true },
        { "hi um i can't make it on wednesday can we move it", true },
        { "Please cancel my booking", false },
        { "I'd like to change my appointment time", true },
        { "I want to cancel my appointment for Thursday", false },
        { "Something came up and I need to reschedule", true },
        { "i wont be able to make my appointment, please cancel it", false },
        { "Hi, I need to change the date of my cleaning", true },
        { "Could you move my appointment to Friday?", true },
        { "cancel my appointment please", false },
        { "I have to call off my appointment", false },
        { "need to resched my appt", true },
        { "Is it possible to move my appointment to next week?", true },
        { "I need to cancel, I'm sick", false },
        { "yeah i booked a cleaning but i need to cancel that", false },
        { "Can we reschedule my whitening appointment?", true },
        { "I'd like to cancel my consultation", false },
        { "hey can i change my appointment to a later time", true },
        { "My appointment is on Tuesday and I can't make it, can I reschedule?", true },
        { "I want to cancel my visit", false },
        { "please cancel the appointment i made", false },
        { "can you reschedule me for next Monday", true },
        { "i'm calling to cancel an appointment", false },
        { "hi, i want to move my cleaning to the afternoon", true },
        { "Can I cancel my appointment tomorrow?", false },
        { "I have an appointment on Friday but need to reschedule it", true },
        { "i need to cancle my apointment", false },
        { "Could I switch my appointment to another day?", true },
        { "I have to reschedule my kid's cleaning", true },
        { "cancel my booking for monday", false },
        { "I need a different time for my appointment", true },
        { "Would it be possible to cancel my appointment?", false },
        { "uh i need to move my appointment um to thursday if possible", true },
        { "Can I rebook my appointment for a different day?", true },
        { "I'd like to cancel the whitening I booked", false },
        { "Please reschedule my appointment", true },
        { "yeah hi i need to cancel my cleaning on wednesday", false },
        { "I was wondering if I could reschedule my appointment", true },
    };

    [Theory]
    [MemberData(nameof(Openers))]
    public async Task ManageOpener_WithoutCallerId_AsksForThePhoneNumberOfTheBooking(string utterance, bool move)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Equal(move ? DialogueFlow.Reschedule : DialogueFlow.Cancel, h.State.Flow);
        Assert.Equal(PendingQuestion.Phone, h.State.Pending);
        Assert.Contains("phone number the appointment was booked under", reply.Text, StringComparison.Ordinal);
        EngineAssert.AskedWithoutWriting(h, reply);
    }

    [Theory]
    [MemberData(nameof(Openers))]
    public async Task ManageOpener_WithCallerId_FindsTheBookingUnderThatNumber(string utterance, bool move)
    {
        var h = ConversationHarness.Dental(callerPhone: CallerId);
        var id = await h.PreBookAsync("Cleaning", new DateTime(2026, 11, 25, 10, 0, 0), "Jane Doe", CallerId);

        var reply = await h.SayAsync(utterance);

        Assert.Equal(id, h.State.TargetBookingId);
        if (move)
        {
            Assert.Equal(DialogueFlow.Reschedule, h.State.Flow);
        }
        else
        {
            Assert.Equal(PendingQuestion.ConfirmCancel, h.State.Pending);
            Assert.Contains("I see your cleaning Wednesday, November 25 at 10 AM. Shall I cancel it?", reply.Text, StringComparison.Ordinal);
        }

        Assert.Single(h.Store.Confirmed); // nothing changes before the caller confirms
        Assert.Equal(new DateTime(2026, 11, 25, 10, 0, 0), h.LocalStart(h.Store.Confirmed[0]));
    }
}
