using Portal.Data.Entities;
using Portal.Domain.Onboarding;

namespace Portal.Benchmarks;

/// <summary>
/// Realistic, varied dental-office FAQs generated from templates (procedures × question forms,
/// plus office questions), so a tenant can be grown to a fixed FAQ count deterministically.
/// </summary>
public static class FaqCatalog
{
    /// <summary>The FAQ the demo seeder adds on top of the dental template.</summary>
    public static readonly (string Question, string Answer) DemoPaymentPlan =
        ("Do you offer payment plans?", "Yes. For treatments over $500 we offer interest-free payment plans over 6 or 12 months.");

    private static readonly (string Name, string Detail, int Minutes, int Price)[] Procedures =
    [
        ("crowns", "a porcelain crown usually takes two visits about two weeks apart", 90, 1100),
        ("bridges", "a bridge replaces one or more missing teeth and is fitted over two visits", 120, 2400),
        ("dental implants", "an implant is placed in one visit and restored after three to six months of healing", 120, 3800),
        ("veneers", "veneers are thin porcelain shells bonded to the front of the teeth after a design visit", 90, 1200),
        ("root canals", "a root canal removes infected pulp under local anaesthetic and is usually done in one visit", 90, 950),
        ("tooth-colored fillings", "composite fillings are matched to your tooth shade and set with a curing light", 45, 180),
        ("tooth extractions", "simple extractions are done here under local anaesthetic", 45, 250),
        ("wisdom tooth removal", "wisdom teeth are assessed with an x-ray first; impacted teeth may be referred to our oral surgeon", 60, 450),
        ("sealants", "sealants are a painless protective coating for the chewing surfaces of back teeth", 30, 60),
        ("fluoride treatments", "a fluoride varnish takes a couple of minutes at the end of a cleaning", 15, 45),
        ("night guards", "a custom night guard protects teeth from grinding and is made from an impression", 30, 450),
        ("Invisalign", "clear aligners are planned from a 3D scan and changed every one to two weeks", 60, 5200),
        ("braces", "we offer metal and ceramic braces with monthly adjustment visits", 60, 5500),
        ("dentures", "full and partial dentures are made over three to four fittings", 60, 1800),
        ("deep cleanings", "scaling and root planing treats gum disease and is done one half of the mouth at a time", 90, 280),
        ("gum disease treatment", "periodontal treatment starts with a gum assessment and a deep cleaning", 60, 300),
        ("digital x-rays", "digital x-rays use far less radiation than film and are taken once a year for most patients", 15, 120),
        ("sedation", "we offer oral sedation for anxious patients; you will need someone to drive you home", 30, 300),
        ("nitrous oxide", "laughing gas wears off within minutes, so you can drive yourself home", 15, 75),
        ("sports mouthguards", "custom sports guards are made from an impression and ready in about a week", 30, 150),
        ("bonding", "cosmetic bonding repairs chips and gaps in a single visit without drilling", 45, 300),
        ("inlays and onlays", "inlays and onlays are custom porcelain restorations, stronger than large fillings", 60, 900),
        ("oral cancer screenings", "a quick oral cancer screening is part of every check-up at no extra charge", 10, 0),
        ("TMJ treatment", "jaw pain is assessed with an exam and often treated with a custom splint", 45, 500),
    ];

    private static readonly Func<(string Name, string Detail, int Minutes, int Price), (string, string)>[] ProcedureForms =
    [
        p => ($"Do you offer {p.Name}?", $"Yes, we offer {p.Name}: {p.Detail}."),
        p => ($"How long do {p.Name} take?", $"Plan on about {p.Minutes} minutes in the chair; {p.Detail}."),
        p => ($"Does insurance cover {p.Name}?", $"Most PPO plans cover part of {p.Name}. We check your benefits before treatment and give you a written estimate."),
        p => ($"What is the typical fee for {p.Name}?", p.Price == 0 ? $"There is no charge for {p.Name}." : $"{Cap(p.Name)} start at about ${p.Price}; your exact fee depends on the treatment plan."),
        p => ($"Does it hurt to get {p.Name}?", $"Most patients feel little discomfort with {p.Name}. We numb the area when needed and check in with you throughout."),
        p => ($"What is the recovery like after {p.Name}?", $"After {p.Name} most people go back to normal activities the same day; we give you written aftercare instructions."),
        p => ($"Can children get {p.Name}?", $"It depends on age and development; the dentist will tell you at the exam whether {p.Name} suit your child."),
    ];

    private static readonly (string Question, string Answer)[] Office =
    [
        ("Is the office wheelchair accessible?", "Yes, the office is on the ground floor with step-free access and an accessible restroom."),
        ("What languages do your staff speak?", "Our team speaks English, Spanish and Mandarin."),
        ("Do you accept Apple Pay?", "Yes, we accept Apple Pay, Google Pay, all major credit cards and debit cards."),
        ("Can I use my HSA or FSA card?", "Yes, HSA and FSA cards are accepted for all eligible treatment."),
        ("Do you accept CareCredit?", "Yes, we accept CareCredit and can help you apply at the front desk."),
        ("Where can I find the new patient forms?", "New patient forms are on our website; you can also fill them in on a tablet when you arrive."),
        ("What do I do in a dental emergency after hours?", "Call our main number and follow the prompt for the on-call dentist, who returns emergency calls within an hour."),
        ("Is there wifi in the waiting room?", "Yes, free guest wifi is available; the password is posted at the front desk."),
        ("Do you offer a discount for patients without insurance?", "Yes, our in-house membership plan covers two cleanings and exams a year and gives 15 percent off other treatment."),
        ("How often should I get a cleaning?", "Most patients should have a cleaning and exam every six months; some gum conditions need every three or four months."),
        ("Do you send appointment reminders?", "Yes, we send a text reminder two days before and an email the day before your appointment."),
        ("Can I bring my child to my appointment?", "Yes, children are welcome in the waiting room with another adult while you are being seen."),
        ("Do you use mercury-free fillings?", "Yes, all our fillings are tooth-colored composite; we do not place amalgam."),
        ("Are your instruments sterilized?", "Yes, every instrument is sterilized in an autoclave and sealed pouch between patients."),
        ("Do you see patients with dental anxiety?", "Absolutely. Tell us you are nervous and we will go at your pace, explain each step, and offer sedation if you wish."),
        ("Can I get a second opinion here?", "Yes, bring any x-rays or treatment plans you have and we will review them at a consultation."),
        ("Do you work with orthodontists?", "Yes, we coordinate with local orthodontists and offer Invisalign in house."),
        ("How early should I arrive for my appointment?", "Please arrive 10 minutes early, or 15 minutes for your first visit."),
        ("What if I am running late?", "Call us as soon as you can; if you are more than 15 minutes late we may need to reschedule."),
        ("Do you charge a fee for missed appointments?", "We charge a $50 fee for missed appointments without 24 hours notice."),
        ("Can I request my dental records?", "Yes, send a signed request and we email your records and x-rays within three business days."),
        ("Do you offer gift certificates for whitening?", "Yes, whitening gift certificates are available at the front desk."),
        ("Is there public transit nearby?", "Yes, the Canal Street subway station is a five minute walk, and the M20 bus stops on our corner."),
        ("Do you validate parking at the garage?", "Yes, we validate two hours at the Hudson Street garage next door."),
        ("Do you offer virtual consultations?", "Yes, we offer video consultations for cosmetic questions and second opinions."),
        ("Do you treat dental implants placed elsewhere?", "Yes, we can restore and maintain most implant systems placed by other dentists."),
        ("What brand of whitening do you use?", "We use professional in-office whitening with take-home trays for touch-ups."),
        ("Do you offer teeth whitening for sensitive teeth?", "Yes, we use a lower-strength gel and a desensitizer for patients with sensitive teeth."),
        ("Can pregnant patients get dental care?", "Yes, cleanings and most treatment are safe during pregnancy; tell us how far along you are."),
        ("Do you see seniors on Medicare?", "Medicare does not cover routine dental care, but we accept many Medicare Advantage dental plans."),
        ("Do you bill my insurance directly?", "Yes, we file claims directly with your insurer and you pay only your share."),
        ("How do I update my insurance information?", "Send a photo of the front and back of your new card, or bring it to your next visit."),
        ("Is a referral needed to see the dentist?", "No referral is needed; you can book directly with us."),
        ("Do you have weekend appointments?", "We are open Saturday mornings for cleanings, exams and emergencies."),
        ("Can I bring my own music or headphones?", "Of course, and we also have headphones and ceiling TVs in every room."),
        ("Do you treat bad breath?", "Yes, we find the cause at an exam and cleaning and suggest a treatment plan."),
        ("What toothpaste do you recommend?", "Any fluoride toothpaste with the ADA seal; we recommend a sensitivity formula if cold hurts."),
        ("Do you recommend electric toothbrushes?", "Yes, an oscillating electric brush removes more plaque for most people."),
        ("Can I get my teeth cleaned while wearing braces?", "Yes, we clean around brackets and show you how to floss with a threader."),
        ("Do you offer care for people with disabilities?", "Yes, we allow extra time and adapt care to each patient's needs; tell us when you book."),
    ];

    /// <summary>The FAQs of the stock dental template plus the demo's payment-plan FAQ (what a seeded demo tenant has).</summary>
    public static IReadOnlyList<(string Question, string Answer)> Seeded =>
        [.. VerticalTemplates.For(Industry.Dental).Faqs, DemoPaymentPlan];

    /// <summary>All generated FAQs, in a fixed order (168 procedure questions, then office questions).</summary>
    public static IReadOnlyList<(string Question, string Answer)> Generated { get; } = Build();

    /// <summary>Up to <paramref name="count"/> generated FAQs whose questions are not in <paramref name="existingTitles"/>.</summary>
    public static List<(string Question, string Answer)> Take(int count, IEnumerable<string> existingTitles)
    {
        var existing = new HashSet<string>(existingTitles, StringComparer.OrdinalIgnoreCase);
        var result = Generated.Where(f => !existing.Contains(f.Question)).Take(Math.Max(0, count)).ToList();
        if (result.Count < count)
        {
            throw new InvalidOperationException($"Only {result.Count} distinct FAQs can be generated; {count} were asked for.");
        }

        return result;
    }

    /// <summary>Exactly <paramref name="total"/> FAQs: the seeded ones topped up with generated ones.</summary>
    public static List<(string Question, string Answer)> Full(int total) =>
        [.. Seeded, .. Take(total - Seeded.Count, Seeded.Select(f => f.Question))];

    private static List<(string, string)> Build()
    {
        var list = new List<(string, string)>();
        // Form by form, then office questions: any 194-item prefix covers every question form.
        foreach (var form in ProcedureForms)
        {
            list.AddRange(Procedures.Select(form));
        }

        list.AddRange(Office);
        return list;
    }

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
