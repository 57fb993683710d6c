using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Built-in caller vocabulary for common verticals (dental, salon, HVAC, auto), so a business that configured no keywords
/// still matches "my furnace died" to "Heating Repair". Keyed by a word or phrase found in the service name.
/// </summary>
internal static class ServiceSynonyms
{
    /// <summary>Service-name key (normalized) to the phrases callers use for that service.</summary>
    public static readonly FrozenDictionary<string, string[]> ByNameKey = new Dictionary<string, string[]>
    {
        // Dental
        ["cleaning"] = ["cleaning", "teeth cleaning", "clean my teeth", "teeth cleaned", "hygiene", "hygienist", "scale and polish", "deep clean", "prophylaxis"],
        ["consultation"] = ["consult", "consultation", "exam", "examination", "checkup", "check up", "evaluation", "assessment", "new patient", "second opinion"],
        ["whitening"] = ["whiten", "whitening", "bleaching", "bleach", "white teeth", "whiter teeth", "brighter smile"],
        ["filling"] = ["filling", "cavity", "cavities", "tooth decay", "hole in my tooth"],
        ["emergency"] = ["emergency", "urgent", "urgently", "toothache", "tooth ache", "broken tooth", "chipped tooth", "cracked tooth", "knocked out",
            "abscess", "swollen", "swelling", "severe pain", "tooth hurts", "gas leak", "smell gas", "carbon monoxide", "burst pipe", "flooding"],
        ["crown"] = ["crown", "cap on my tooth"],
        ["extraction"] = ["extraction", "pull a tooth", "tooth pulled", "wisdom tooth", "wisdom teeth"],
        ["root canal"] = ["root canal", "nerve"],

        // Salon
        ["haircut"] = ["haircut", "hair cut", "cut my hair", "trim", "buzz cut", "fade", "bangs", "cut"],
        ["color"] = ["color", "colour", "dye", "hair dye", "dye my hair", "coloring", "tint", "roots", "touch up", "gray coverage", "grey coverage"],
        ["highlights"] = ["highlights", "balayage", "foils", "lowlights", "ombre"],
        ["manicure"] = ["manicure", "mani", "nails", "nails done", "gel nails", "acrylics", "fingernails", "nail polish"],
        ["pedicure"] = ["pedicure", "pedi", "toenails", "toe nails", "feet", "foot spa"],
        ["blowout"] = ["blowout", "blow dry", "blowdry"],

        // HVAC
        ["ac"] = ["ac", "air conditioner", "air conditioning", "aircon", "cooling", "central air", "not cooling", "blowing warm air", "blowing hot air"],
        ["air conditioning"] = ["ac", "air conditioner", "aircon", "cooling", "central air"],
        ["heating"] = ["heat", "heater", "heating", "furnace", "boiler", "heat pump", "radiator"],
        ["furnace"] = ["furnace", "heater", "heat", "heating"],
        ["maintenance"] = ["maintenance", "tune up", "tuneup", "inspection", "annual", "checkup", "check up", "servicing", "filter change", "seasonal"],
        ["plumbing"] = ["plumber", "leak", "pipe", "drain", "clog", "toilet"],

        // Auto
        ["oil"] = ["oil change", "oil", "lube"],
        ["brake"] = ["brakes", "brake", "squeaking", "squealing", "brake pads", "rotors", "grinding"],
        ["tire"] = ["tire", "tires", "tyre", "tyres", "flat", "rotation", "alignment"],
        ["diagnostic"] = ["check engine", "engine light", "diagnostic", "diagnosis", "strange noise", "weird noise"],
        ["inspection"] = ["inspection", "smog", "emissions", "state inspection"],
        ["battery"] = ["battery", "will not start", "jump start"],
        ["transmission"] = ["transmission", "gearbox", "slipping gears"],
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
