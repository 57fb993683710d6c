using Portal.Domain.Conversations.Understanding;
using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Fakes.Recognition;

/// <summary>One caller utterance of the evaluation: what is said, on which business's line, and what it means.</summary>
/// <param name="Text">The words as spoken (numbers written out, as a caller says them).</param>
/// <param name="Business">Which <see cref="PhoneSpeechEvalSet"/> business is called.</param>
/// <param name="Intent">What the caller wants (hand label).</param>
public sealed record EvalUtterance(string Text, EvalBusiness Business, Intent Intent);

/// <summary>A business of the evaluation, with the vocabulary its line's recognizer gets.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Vocabulary">Its services, people and name.</param>
/// <param name="Services">Its services as the service matcher sees them.</param>
public sealed record EvalBusiness(string Name, SpeechVocabulary Vocabulary, IReadOnlyList<ServiceCandidate> Services);

/// <summary>How an utterance is rendered: espeak-ng speed, voice and pitch, and whether pink noise is mixed in.</summary>
/// <param name="WordsPerMinute">espeak-ng <c>-s</c>.</param>
/// <param name="Voice">espeak-ng <c>-v</c> (language plus variant).</param>
/// <param name="Pitch">espeak-ng <c>-p</c>, 0..99.</param>
/// <param name="NoiseAmplitude">Pink noise amplitude (sox <c>vol</c>, linear, 0 = none).</param>
public sealed record EvalRendering(int WordsPerMinute, string Voice, int Pitch, double NoiseAmplitude)
{
    /// <summary>Short description, e.g. "160 wpm en-us+m3 p50 noise".</summary>
    public override string ToString() => $"{WordsPerMinute} wpm {Voice} p{Pitch}{(NoiseAmplitude > 0 ? " noise" : string.Empty)}";
}

/// <summary>
/// The phone speech evaluation set (docs/benchmarks.md, "Offline phone speech recognition"): 50 caller utterances on
/// two businesses' lines (a dental practice and a hair salon) over every intent, each rendered by espeak-ng at 130 to
/// 180 words per minute in six voices and five pitches, a third of them with pink noise, then taken to 8 kHz μ-law by
/// sox. The sentences were written for this set, not taken from the recognizer's corpus templates.
/// </summary>
public static class PhoneSpeechEvalSet
{
    /// <summary>The dental practice.</summary>
    public static readonly EvalBusiness Dental = new(
        "dental",
        new SpeechVocabulary("Bright Smile Dental", ["Teeth Cleaning", "cleaning", "hygiene", "Whitening", "Filling", "Emergency Exam", "Crown", "New Patient Consultation"], ["Dr. Patel", "Ava"]),
        [
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000001"), "Teeth Cleaning", ["cleaning", "hygiene"]),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000002"), "Whitening", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000003"), "Filling", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000004"), "Emergency Exam", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000005"), "Crown", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000006"), "New Patient Consultation", []),
        ]);

    /// <summary>The hair salon.</summary>
    public static readonly EvalBusiness Salon = new(
        "salon",
        new SpeechVocabulary("Luna Hair Studio", ["Haircut", "trim", "Color", "Highlights", "Blowout", "Manicure", "Pedicure"], ["Maria"]),
        [
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000011"), "Haircut", ["trim"]),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000012"), "Color", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000013"), "Highlights", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000014"), "Blowout", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000015"), "Manicure", []),
            new ServiceCandidate(Guid.Parse("00000000-0000-0000-0000-000000000016"), "Pedicure", []),
        ]);

    /// <summary>The reference booking sentence of the phone-speech eval ("understood with service, day and time" is the target).</summary>
    public static readonly EvalUtterance TargetBooking = new("Hi, I'd like to book a cleaning tomorrow at ten in the morning", Dental, Intent.Book);

    /// <summary>The utterances.</summary>
    public static readonly IReadOnlyList<EvalUtterance> Utterances =
    [
        TargetBooking,
        new("Hello, could I schedule a teeth whitening for next Tuesday afternoon", Dental, Intent.Book),
        new("I think I have a cavity, can I get a filling this week", Dental, Intent.Book),
        new("Do you have any openings on Friday morning", Dental, Intent.Book),
        new("I need to move my appointment to Thursday at two thirty", Dental, Intent.Reschedule),
        new("Something came up and I can't make it tomorrow", Dental, Intent.Reschedule),
        new("Please cancel my cleaning on Monday", Dental, Intent.Cancel),
        new("What time do you close on Saturday", Dental, Intent.Hours),
        new("Are you open on Sunday", Dental, Intent.Hours),
        new("Where is your office located", Dental, Intent.Location),
        new("What's the address", Dental, Intent.Location),
        new("How much does whitening cost", Dental, Intent.Services),
        new("Do you do crowns", Dental, Intent.Services),
        new("Can I talk to a real person please", Dental, Intent.Human),
        new("I'd like to leave a message for Doctor Patel", Dental, Intent.Message),
        new("Could someone call me back later today", Dental, Intent.Message),
        new("Yes, that works for me", Dental, Intent.Affirm),
        new("No, that doesn't work", Dental, Intent.Deny),
        new("Thank you so much, goodbye", Dental, Intent.Goodbye),
        new("My tooth really hurts, I need an emergency appointment", Dental, Intent.Book),
        new("Can I come in at nine thirty on Wednesday", Dental, Intent.Book),
        new("What are your opening hours", Dental, Intent.Hours),
        new("Do you accept insurance", Dental, Intent.Question),
        new("I'd like a consultation with Doctor Patel next Monday", Dental, Intent.Book),
        new("Yeah, eleven o'clock is fine", Dental, Intent.Affirm),
        new("Is there parking near the office", Dental, Intent.Question),
        new("Hi, good morning", Dental, Intent.Greeting),
        new("Nope, not really", Dental, Intent.Deny),
        new("That's all, thanks", Dental, Intent.Goodbye),
        new("Can you put me through to the front desk", Dental, Intent.Human),
        new("I want to reschedule my filling to the afternoon", Dental, Intent.Reschedule),
        new("My number is five five five two one three four four eight seven", Dental, Intent.None),
        new("Can I bring my daughter in for a checkup on the fifteenth", Dental, Intent.Book),
        new("I'd rather come in the evening after work", Dental, Intent.Book),
        new("Hi, can I book a haircut with Maria on Saturday", Salon, Intent.Book),
        new("I'd like to get my hair colored next Friday at four", Salon, Intent.Book),
        new("Do you have time for a blowout this afternoon", Salon, Intent.Book),
        new("How much are highlights", Salon, Intent.Services),
        new("What time do you open tomorrow", Salon, Intent.Hours),
        new("I have to cancel my appointment for Thursday", Salon, Intent.Cancel),
        new("Can we push my haircut back to three o'clock", Salon, Intent.Reschedule),
        new("Could I get a manicure and a pedicure on Sunday", Salon, Intent.Book),
        new("Where are you guys located", Salon, Intent.Location),
        new("Yes please", Salon, Intent.Affirm),
        new("I'd like to speak to the manager", Salon, Intent.Human),
        new("Can you have Maria call me back", Salon, Intent.Message),
        new("Book me in for a trim tomorrow at noon", Salon, Intent.Book),
        new("My name is Sarah Johnson", Salon, Intent.None),
        new("I'm looking for an appointment sometime next week in the evening", Salon, Intent.Book),
        new("Thanks a lot, have a nice day", Salon, Intent.Goodbye),
    ];

    private static readonly int[] Speeds = [130, 140, 150, 160, 170, 180];
    private static readonly string[] Voices = ["en-us", "en-us+m3", "en-us+f2", "en-us+m7", "en-us+f4", "en"];
    private static readonly int[] Pitches = [50, 35, 65, 45, 58];

    /// <summary>
    /// The rendering of utterance <paramref name="index"/>: speed, voice and pitch step through their lists at different
    /// periods (6, 6 shifted by the index over 6, 5) so combinations vary; every third utterance gets pink noise.
    /// </summary>
    /// <param name="index">Position in <see cref="Utterances"/>.</param>
    /// <returns>The rendering.</returns>
    public static EvalRendering RenderingOf(int index) =>
        index == 0
            ? new EvalRendering(160, "en-us", 50, 0) // the issue's sentence exactly as reported
            : new EvalRendering(Speeds[index % 6], Voices[(index + (index / 6)) % 6], Pitches[index % 5], index % 3 == 2 ? 0.03 : 0);
}
