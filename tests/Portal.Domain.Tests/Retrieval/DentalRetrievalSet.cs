using Portal.Data.Entities;
using Portal.Domain.Onboarding;
using Portal.Domain.Tests.Conversations;
using Portal.Rag.Lexical;

namespace Portal.Domain.Tests.Retrieval;

/// <summary>
/// Retrieval evaluation set for the dental template: the template FAQs plus the patient guide of
/// <see cref="ConversationHarness.PatientGuide"/>, indexed exactly as the engine tests index them
/// (<see cref="LexicalKnowledgeFake"/>). Expected passages are named by the start of their text.
/// Caller questions are paraphrases, typos and speech-to-text errors written from the caller's side.
/// </summary>
public static class DentalRetrievalSet
{
    /// <summary>Insurance FAQ.</summary>
    public const string Insurance = "We accept most major PPO dental insurance plans";

    /// <summary>Children FAQ.</summary>
    public const string Children = "Yes, we see patients of all ages";

    /// <summary>First-visit FAQ.</summary>
    public const string FirstVisit = "Please bring a photo ID";

    /// <summary>Cancellation FAQ.</summary>
    public const string Cancellation = "Please give us at least 24 hours notice";

    /// <summary>Parking FAQ.</summary>
    public const string Parking = "Yes, there is free parking";

    /// <summary>Payment section of the patient guide.</summary>
    public const string Payment = "We take cash, all major credit cards";

    /// <summary>Sedation section of the patient guide.</summary>
    public const string Sedation = "For anxious patients we offer nitrous oxide";

    /// <summary>After-hours section of the patient guide.</summary>
    public const string AfterHours = "If you have a dental emergency when the office is closed";

    /// <summary>Payment-plan Q/A pair of the patient guide.</summary>
    public const string Plans = "Yes, through CareCredit";

    /// <summary>The indexed passages (5 template FAQs, 3 guide sections, 1 guide Q/A pair).</summary>
    public static IReadOnlyList<Passage> Passages() =>
        new LexicalKnowledgeFake(Guid.NewGuid(), VerticalTemplates.For(Industry.Dental).Faqs, [("Patient guide", ConversationHarness.PatientGuide)]).Passages;

    /// <summary>Answerable caller questions and the start of the passage that answers them.</summary>
    public static readonly IReadOnlyList<(string Question, string Expected)> Answerable =
    [
        // Insurance: paraphrases, synonyms, typos, speech-to-text splits.
        ("Do you take my insurance?", Insurance), ("do u take insurance", Insurance), ("Is my insurance accepted?", Insurance),
        ("do you accept insurence", Insurance), ("what dental plans do you take", Insurance), ("Do you take Delta Dental?", Insurance),
        ("are you in network with cigna", Insurance), ("do you work with aetna", Insurance), ("I have MetLife, is that OK?", Insurance),
        ("do you take met life", Insurance), ("Do you accept PPO insurance?", Insurance), ("do you take delta dentil", Insurance),
        ("is my dental coverage accepted there", Insurance),

        // Children.
        ("do you treat kids", Children), ("Can you see my 5 year old daughter?", Children), ("Do you treat toddlers?", Children),
        ("do you see childern", Children), ("Do you see kids?", Children), ("what age do you start seeing children", Children),
        ("do you see babies", Children), ("can my son be a patient there", Children),

        // First visit.
        ("What should I bring to my first appointment?", FirstVisit), ("what do I need for my first visit", FirstVisit),
        ("I'm a new patient, what should I bring?", FirstVisit), ("do I need to bring a photo ID", FirstVisit),
        ("Should I bring a list of my medications?", FirstVisit), ("how early should I arrive", FirstVisit),
        ("do I have to fill out forms", FirstVisit), ("what do i bring to my frist visit", FirstVisit), ("do I need my ID", FirstVisit),

        // Cancellation.
        ("What's your cancellation policy?", Cancellation), ("how much notice do you need if I cancel", Cancellation),
        ("can I reschedule my appointment last minute", Cancellation), ("what if I need to reschedule", Cancellation),
        ("whats ur cancelation policy", Cancellation), ("how many hours notice to cancel", Cancellation),
        ("is there a policy for cancelling appointments", Cancellation),

        // Parking.
        ("Is there parking?", Parking), ("where do I park", Parking), ("do you have parking", Parking), ("is parking free", Parking),
        ("Can I park in front of the building?", Parking), ("is there a parkin lot", Parking), ("where can i leave my car", Parking),

        // Payment.
        ("What forms of payment do you accept?", Payment), ("Do you take credit cards?", Payment), ("Can I pay with Apple Pay?", Payment),
        ("do you accept visa", Payment), ("can I pay cash", Payment), ("when do I pay", Payment), ("is payment due at the visit", Payment),
        ("how can I pay", Payment), ("do you take debit cards", Payment),

        // Sedation.
        ("Do you offer sedation?", Sedation), ("I'm scared of the dentist, can you put me to sleep?", Sedation),
        ("do you have laughing gas", Sedation), ("I get really anxious at the dentist, can you help", Sedation),
        ("is nitrous oxide available", Sedation), ("do you offer sedaton for nervous patients", Sedation), ("do you use happy gas", Sedation),

        // After hours.
        ("What if I have an emergency when you're closed?", AfterHours), ("who do I call for a dental emergency at night", AfterHours),
        ("I have a toothache on the weekend, what do I do?", AfterHours), ("is there a dentist on call", AfterHours),
        ("what do I do after hours if it's urgent", AfterHours), ("emergancy after hours", AfterHours),
        ("can I reach someone when the office is closed", AfterHours),

        // Payment plans.
        ("Do you offer payment plans?", Plans), ("can I pay in installments", Plans), ("do you have financing", Plans),
        ("can I spread the cost over a few months", Plans), ("is there a monthly payment option", Plans), ("do you have paymnet plans", Plans),
    ];

    /// <summary>Questions the knowledge base has no answer for: each must score below the engine's 0.3.</summary>
    public static readonly IReadOnlyList<string> OutOfScope =
    [
        "Do you do fillings?", "What treatments do you offer?", "Is the dentist a woman?", "Where's the dental office?",
        "Do you offer house calls?", "do you do invisaline", "Do you do root canals?", "How much is a cleaning?",
        "Are you open on Sundays?", "What's your phone number?", "Do you offer teeth whitening?", "Can I bring my dog?",
        "Do you do dentures?", "Is Dr. Patel accepting new patients?", "Do you sell gift cards?", "Do you have wifi?",
        "Can you recommend an orthodontist?", "How long does a cleaning take?", "Do you do extractions?",
        "Is the office wheelchair accessible?", "Do you have evening hours?", "What's the weather tomorrow?",
    ];
}
