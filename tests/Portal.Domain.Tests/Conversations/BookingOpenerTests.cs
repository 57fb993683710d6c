using Portal.Domain.Conversations;

namespace Portal.Domain.Tests.Conversations;

/// <summary>First utterances of callers who want an appointment: the engine asks for what is missing, offers real free slots, or proposes the slot asked for.</summary>
public sealed class BookingOpenerTests
{
    /// <summary>Utterance, and the service it names ("" when none).</summary>
    public static TheoryData<string, string> Openers => new()
    {
        { "Hi, I'd like to book a cleaning", "Cleaning" },
        { "i need to make an appointment", "" },
        { "Can I schedule a teeth cleaning for tomorrow at 10am?", "Cleaning" },
        { "I'd like to book an appointment please", "" },
        { "do you have anything available tomorrow for a cleaning", "Cleaning" },
        { "I need a checkup sometime next week", "Cleaning" },
        { "can i come in friday for a consultation", "Consultation" },
        { "i need to see the dentist asap, my tooth really hurts", "Emergency" },
        { "Hello, I would like to schedule a whitening appointment", "Whitening" },
        { "uh yeah hi i was hoping to book a cleaning for wednesday afternoon", "Cleaning" },
        { "book me in for a consultation on tuesday at 2", "Consultation" },
        { "I'd like to set up a new patient visit", "Consultation" },
        { "can you fit me in tomorrow morning", "" },
        { "i want to book an apointment for a cleanign", "Cleaning" },
        { "is there any availability on friday for teeth whitening", "Whitening" },
        { "I need to schedule a dental cleaning for my son", "Cleaning" },
        { "looking to make an appointment for a check-up", "Cleaning" },
        { "can I get an appointment for tomorrow at 3pm", "" },
        { "I broke my tooth and need to get in as soon as possible", "Emergency" },
        { "Could I book a consultation for Friday morning?", "Consultation" },
        { "I'd like to come in for a cleaning on December 1st at 11", "Cleaning" },
        { "hi there can i book in for an exam", "Cleaning" },
        { "do you have any openings this week", "" },
        { "I want to make an appointment for teeth whitening next week", "Whitening" },
        { "need an appt for a cleaning pls", "Cleaning" },
        { "Can I schedule a consult for 9:30 tomorrow?", "Consultation" },
        { "i'd love to get in for a cleaning the earliest you have", "Cleaning" },
        { "I'd like to book my six month cleaning", "Cleaning" },
        { "good morning i need to schedule a visit", "" },
        { "Hi! Can I book a whitening for Saturday at 10?", "Whitening" },
        { "my tooth is killing me can i come in today", "" },
        { "Could you book me a cleaning on Tuesday the 24th at 1pm", "Cleaning" },
        { "I'm a new patient and I'd like to schedule a first visit", "Consultation" },
        { "Can I make a booking for a cleaning at 4 on Wednesday", "Cleaning" },
        { "hello yes i'd like an appointment for a checkup tomorrow afternoon", "Cleaning" },
        { "I'd like an appointment for a chipped tooth", "Emergency" },
        { "what's your earliest appointment for a cleaning", "Cleaning" },
        { "Can I get in for a checkup on Wednesday at 8:30 in the morning", "Cleaning" },
        { "Hi, I'd like a cleaning tomorrow at 10am", "Cleaning" },
        { "um yeah can i get a whitening on friday at like 2", "Whitening" },
        { "I would like to make an appointment for a cleaning on Saturday morning", "Cleaning" },
        { "need to book a consultation for next tuesday at 11am", "Consultation" },
    };

    [Theory]
    [MemberData(nameof(Openers))]
    public async Task BookingOpener_AsksForMissingSlotOrOffersFreeSlots(string utterance, string service)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Equal(DialogueFlow.Book, h.State.Flow);
        if (service.Length > 0)
        {
            Assert.Equal(h.Service(service).Id, h.State.ServiceId);
        }

        switch (h.State.Pending)
        {
            case PendingQuestion.Service:
                Assert.Contains("Which service", reply.Text, StringComparison.Ordinal);
                Assert.Null(h.State.ServiceId);
                break;
            case PendingQuestion.Date:
                Assert.Contains("What day", reply.Text, StringComparison.Ordinal);
                break;
            case PendingQuestion.PickSlot:
                await EngineAssert.OffersRealFreeSlotsAsync(h, reply);
                break;
            case PendingQuestion.Name:
                await EngineAssert.ProposesFreeSlotAsync(h, reply);
                Assert.Contains("is available. May I have your name", reply.Text, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"unexpected pending question {h.State.Pending}\n{h.Dump()}");
                break;
        }

        EngineAssert.AskedWithoutWriting(h, reply);
    }
}
