using System.Text.RegularExpressions;
using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.Brain.Insights;

/// <summary>What a field extractor reads: everything the caller said (redacted, one string) and the dialogue state.</summary>
/// <param name="CallerText">The caller's turns joined with newlines.</param>
/// <param name="State">The conversation's final dialogue state.</param>
public sealed record FieldContext(string CallerText, DialogueState State);

/// <summary>One structured field an industry template declares.</summary>
/// <param name="Key">Stable JSON key ("vehicle").</param>
/// <param name="Label">What the page shows ("Vehicle").</param>
/// <param name="Extract">Reads the value offline, or null when the conversation does not say.</param>
public sealed record IndustryField(string Key, string Label, Func<FieldContext, string?> Extract);

/// <summary>
/// The structured fields each industry template declares for post-call analysis (auto repair: vehicle, year, problem;
/// dental and medical: new or existing patient, insurance; salon: stylist; HVAC: system, urgency; legal: matter; real
/// estate: interest). Extracted offline from what the caller said and the dialogue state; a language model fills the same keys.
/// </summary>
public static class IndustryFields
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(100);
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private const string Makes = "toyota|honda|ford|chevy|chevrolet|nissan|hyundai|kia|subaru|mazda|volkswagen|vw|bmw|mercedes(?:-benz)?|audi|lexus|jeep|dodge|ram|gmc|tesla|volvo|acura|infiniti|buick|cadillac|chrysler|mitsubishi|porsche|mini|fiat|lincoln";

    private static readonly IReadOnlyList<IndustryField> Patient =
    [
        new("patient", "Patient", c => Match(c.CallerText, @"\b(?:new patient|first (?:time|visit)|never been (?:there|here|in)|haven't been (?:there|here) before)\b") is not null ? "new"
            : Match(c.CallerText, @"\b(?:existing patient|(?:i'?m|i am) (?:already )?a patient|been (?:there|here|coming) (?:before|for years)|my (?:last|regular) (?:visit|appointment|cleaning)|regular patient)\b") is not null ? "existing" : null),
        new("insurance", "Insurance", c => Match(c.CallerText, @"\b(?:delta dental|cigna|aetna|metlife|guardian|united ?healthcare|blue ?cross(?: blue ?shield)?|humana|kaiser|medicaid|medicare|tricare)\b") is { } plan
            ? Title(plan) : Match(c.CallerText, @"\b(?:no insurance|(?:don't|do not) have insurance|uninsured|self[- ]pay|pay(?:ing)? cash)\b") is not null ? "none (self-pay)" : null),
    ];

    /// <summary>The fields of <paramref name="industry"/>'s template (empty for Other).</summary>
    public static IReadOnlyList<IndustryField> For(Industry industry) => industry switch
    {
        Industry.AutoRepair =>
        [
            new("vehicle", "Vehicle", c => Match(c.CallerText, $@"\b(?:{Makes})(?:\s+(?!is\b|and\b|has\b|needs\b|that\b|with\b|for\b)[a-z0-9\-]{{2,12}})?\b") is { } v ? Title(v) : null),
            new("year", "Year", c => Match(c.CallerText, $@"\b(?:19[6-9]\d|20[0-3]\d)(?=\s+(?:{Makes}))") ?? Match(c.CallerText, $@"(?<=\b(?:{Makes})\b.{{0,20}}\b)(?:19[6-9]\d|20[0-3]\d)\b")),
            new("problem", "Problem", c => Match(c.CallerText, @"\b(?:check engine light|oil change|brakes?(?: (?:are|is) (?:squeaking|grinding))?|squeak\w*|grind\w*|transmission|flat tire|tires?|battery|(?:won't|will not|doesn't) start|overheat\w*|a/?c|air conditioning|alignment|noise|leak\w*|inspection|tune[- ]up|smoke|shak\w+|vibrat\w+)\b") is { } p ? p.ToLowerInvariant() : null),
        ],
        Industry.Dental or Industry.Medical => Patient,
        Industry.Salon =>
        [
            new("stylist", "Stylist", c => c.State.PreferredProvider ?? Match(c.CallerText, @"(?<=\b(?:with|ask for|see|by)\s+)(?-i:[A-Z][a-z]{2,})\b")),
            new("service", "Service asked about", c => Match(c.CallerText, @"\b(?:haircut|hair cut|trim|blow ?(?:dry|out)|colou?r|highlights|balayage|perm|keratin|manicure|pedicure|nails|wax\w*|updo|braid\w*)\b") is { } s ? s.ToLowerInvariant() : null),
        ],
        Industry.Hvac =>
        [
            new("system", "System", c => Match(c.CallerText, @"\b(?:furnace|heat pump|boiler|water heater|thermostat|air condition(?:er|ing)|a/?c(?: unit)?|mini[- ]split|ducts?|ductwork|heater|heating)\b") is { } s ? s.ToLowerInvariant() : null),
            new("urgency", "Urgency", c => Match(c.CallerText, @"\b(?:emergency|urgent|asap|right away|no heat|no (?:ac|a/c|air)|freezing|(?:not|isn't|stopped) (?:working|heating|cooling)|leak\w*|smell gas|today)\b") is not null ? "urgent" : c.CallerText.Length > 0 ? "routine" : null),
        ],
        Industry.Legal =>
        [
            new("matter", "Matter", c => Match(c.CallerText, @"\b(?:divorce|custody|child support|personal injury|car accident|dui|dwi|will|estate|probate|immigration|visa|bankruptcy|contract|landlord|eviction|employment|wrongful termination|criminal)\b") is { } m ? m.ToLowerInvariant() : null),
        ],
        Industry.RealEstate =>
        [
            new("interest", "Interest", c => Match(c.CallerText, @"\b(?:buy(?:ing)?|purchase)\b") is not null ? "buying"
                : Match(c.CallerText, @"\b(?:sell(?:ing)?|list(?:ing)? (?:my|our))\b") is not null ? "selling"
                : Match(c.CallerText, @"\b(?:rent(?:ing|al)?|lease)\b") is not null ? "renting" : null),
        ],
        _ => [],
    };

    /// <summary>Extracts every field of the template that the conversation says something about.</summary>
    public static Dictionary<string, string> Extract(Industry industry, FieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in For(industry))
        {
            if (field.Extract(context) is { Length: > 0 } value)
            {
                values[field.Key] = value;
            }
        }

        return values;
    }

    private static string? Match(string text, string pattern)
    {
        var m = Regex.Match(text, pattern, Options, Limit);
        return m.Success ? m.Value.Trim() : null;
    }

    private static string Title(string value) =>
        string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Length <= 3 && w.All(char.IsLetter) && w.ToUpperInvariant() is "BMW" or "VW" or "GMC" or "RAM"
            ? w.ToUpperInvariant()
            : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
