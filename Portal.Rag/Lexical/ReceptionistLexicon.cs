namespace Portal.Rag.Lexical;

/// <summary>
/// Receptionist vocabulary for query-time expansion: groups of words callers use interchangeably
/// ("take" / "accept", "kids" / "children", "fee" / "cost") and generic words that say little about
/// which answer is wanted ("offer", "dentist", "appointment"), which get a reduced weight. Words are
/// written naturally and stemmed with <see cref="Tokenizer"/> when the tables are built.
/// </summary>
public static class ReceptionistLexicon
{
    /// <summary>Weight factor of a generic word relative to a content word of the same IDF.</summary>
    public const double GenericWeight = 0.25;

    private static readonly string[][] Groups =
    [
        ["accept", "take", "accepted", "taking", "honor", "honour"],
        ["children", "child", "kid", "kiddo", "toddler", "baby", "infant", "son", "daughter", "teen", "teenager", "youngster", "minor"],
        ["cost", "price", "fee", "charge", "expensive", "afford", "rate"],
        ["pay", "payment", "paying", "paid"],
        ["visit", "appointment", "appt"],
        ["doctor", "doc", "dentist", "dr", "physician"],
        ["cancel", "cancellation", "cancelling", "canceling", "cancelation"],
        ["reschedule", "postpone", "rebook"],
        ["parking", "park", "car", "garage", "vehicle", "drive"],
        ["anxious", "nervous", "scared", "afraid", "anxiety", "fear", "phobia", "worried", "terrified"],
        ["sedation", "sedate", "sedated", "sedative", "sleep", "asleep", "unconscious"],
        ["emergency", "urgent", "urgently", "toothache", "ache", "pain", "painful", "hurt", "hurting", "hurts", "broke", "broken", "chipped", "cracked", "knocked"],
        ["closed", "night", "weekend", "overnight", "midnight", "afterhours"],
        ["insurance", "insured", "insurer", "coverage", "cover", "covered", "network", "ppo"],
        ["card", "visa", "mastercard", "amex", "debit"],
        ["spread", "installment", "instalment", "financing", "finance", "monthly", "month"],
        ["form", "paperwork"],
        ["id", "identification", "license", "licence", "passport"],
        ["medication", "medicine", "meds", "prescription", "pill"],
        ["policy", "rule"],
        ["tooth", "teeth"],
        ["reach", "contact"],

        // Every kind of business: where, when, how to book, guarantees, accessibility, spelling variants.
        ["address", "location", "located", "directions", "whereabouts"],
        ["open", "opening"],
        ["book", "booking", "reserve", "reservation", "reserved"],
        ["warranty", "warranties", "guarantee", "guaranteed", "guarantees"],
        ["wheelchair", "handicap", "handicapped", "disabled", "disability", "accessible", "accessibility", "step-free", "ramp"],
        ["language", "languages", "spanish", "espanol", "bilingual", "translator", "interpreter"],
        ["event", "party", "celebration", "function", "gathering"],
        ["voucher", "gift", "giftcard", "certificate"],
        ["refund", "money-back", "reimburse"],
        ["outside", "outdoor", "outdoors", "patio", "terrace", "garden", "sidewalk"],
        ["deliver", "delivery", "takeaway", "takeout", "carryout"],
        ["dog", "pet", "puppy"],
        ["wifi", "wi-fi", "internet"],
        ["toilet", "restroom", "bathroom", "washroom", "loo"],

        // Food and drink.
        ["vegan", "plant", "plant-based", "dairy-free"],
        ["allergy", "allergies", "allergic", "allergen", "intolerance", "intolerant"],
        ["gluten", "coeliac", "celiac", "gluten-free"],
        ["peanut", "nut", "nuts"],

        // Hair and beauty.
        ["colour", "color", "dye", "tint", "coloring", "colouring"],
        ["highlight", "highlights", "foils", "lowlights"],
        ["extension", "extensions", "clip-in", "clip-ins", "weave", "hairpiece"],
        ["stylist", "hairdresser", "hairstylist", "barber"],
        ["haircut", "cut", "trim"],
        ["wash", "shampoo"],
        ["blowdry", "blow-dry", "blowout"],

        // Cars.
        ["tyre", "tire"],
        ["labour", "labor"],
        ["diagnostic", "diagnostics", "diagnose", "diagnosis"],
        ["loaner", "courtesy"],
        ["hybrid", "electric", "ev", "evs", "plug-in"],
        ["inspection", "sticker", "emissions", "smog"],
        ["brake", "brakes", "squeal", "squeaking", "squeaky", "grinding"],

        // Teeth.
        ["whitening", "whiten", "whiter", "bleaching", "bleach"],
        ["denture", "dentures", "false"],
        ["invisalign", "aligner", "aligners", "braces", "brace", "orthodontic", "orthodontics", "straighten", "straightening"],
        ["checkup", "check-up", "exam", "examination"],
    ];

    private static readonly string[] GenericWords =
    [
        "accept", "take", "offer", "provide", "treat", "see", "do", "give", "use", "work", "help", "go", "come", "make", "let", "allow",
        "find", "look", "say", "speak", "talk", "put", "call", "available", "possible", "option", "patient", "treatment", "service",
        "doctor", "dental", "office", "clinic", "practice", "visit", "staff", "team", "people", "person", "thing", "info", "information",
        "place", "good", "new", "way", "someone", "somebody", "anyone", "anybody", "type", "tooth", "number", "time", "day", "week", "hour", "minute",
        "okay", "fine", "problem", "issue",
    ];

    private static readonly Dictionary<string, int> GroupOf = BuildGroups();
    private static readonly string[][] Stems = [.. Groups.Select(g => g.Select(StemOf).Distinct(StringComparer.Ordinal).ToArray())];
    private static readonly HashSet<string> Generic = new(GenericWords.Select(StemOf).SelectMany(s => Expand(s)), StringComparer.Ordinal);

    /// <summary>
    /// Words whose stem an earlier group already holds, as "word (group n, stem already in group m)"; empty when every
    /// stem belongs to one group (a stem in two groups would silently stay in the first).
    /// </summary>
    public static IReadOnlyList<string> Overlaps { get; } = FindOverlaps();

    /// <summary>Every stem the lexicon knows (for typo correction).</summary>
    public static IEnumerable<string> KnownStems => GroupOf.Keys;

    /// <summary>The stems interchangeable with <paramref name="stem"/>, itself first.</summary>
    public static IReadOnlyList<string> Expand(string stem) =>
        GroupOf.TryGetValue(stem, out var g) ? [stem, .. Stems[g].Where(s => s != stem)] : [stem];

    /// <summary>The synonym group of <paramref name="stem"/>, or -1.</summary>
    public static int Group(string stem) => GroupOf.TryGetValue(stem, out var g) ? g : -1;

    /// <summary>True for generic words that say little about which answer is wanted.</summary>
    public static bool IsGeneric(string stem) => Generic.Contains(stem);

    // "check-up" and "plant-based" are written as callers spell them; the tokenizer splits text on hyphens, so the stem of the joined word
    // is what a joined query phrase ("check up" → "checkup", LexicalQuery) meets.
    private static string StemOf(string word) => EnglishStemmer.Stem(word.Replace("-", "", StringComparison.Ordinal));

    private static List<string> FindOverlaps()
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var overlaps = new List<string>();
        for (var g = 0; g < Groups.Length; g++)
        {
            foreach (var stem in Groups[g].Select(StemOf).Distinct(StringComparer.Ordinal))
            {
                if (!first.TryAdd(stem, g))
                {
                    overlaps.Add($"{stem} (group {g}, stem already in group {first[stem]})");
                }
            }
        }

        return overlaps;
    }

    private static Dictionary<string, int> BuildGroups()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < Groups.Length; g++)
        {
            foreach (var word in Groups[g])
            {
                map.TryAdd(StemOf(word), g);
            }
        }

        return map;
    }
}
