using PhoneNumbers;

namespace Portal.Voice.Calls;

/// <summary>
/// Which callers must consent before a call is recorded: US states with all-party consent laws, as listed in
/// docs/product/recording-consent.md (CA, CT, FL, IL, MD, MA, MI, MT, NH, PA, WA). The caller's state comes from the number's area code through
/// libphonenumber's offline geocoder (descriptions such as "San Francisco, CA" or "Florida").
/// </summary>
public static class RecordingConsent
{
    private static readonly HashSet<string> YesWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "fine", "agree", "consent", "alright", "certainly", "absolutely", "of course",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nope", "nah", "don't", "do not", "not", "decline", "refuse", "rather not",
    };

    /// <summary>US states (two-letter codes) that require all parties' consent to a recording (docs/product/recording-consent.md).</summary>
    public static IReadOnlySet<string> TwoPartyConsentStates { get; } =
        new HashSet<string>(["CA", "CT", "FL", "IL", "MD", "MA", "MI", "MT", "NH", "PA", "WA"], StringComparer.Ordinal);

    private static readonly Dictionary<string, string> StateCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Alabama"] = "AL", ["Alaska"] = "AK", ["Arizona"] = "AZ", ["Arkansas"] = "AR", ["California"] = "CA", ["Colorado"] = "CO",
        ["Connecticut"] = "CT", ["Delaware"] = "DE", ["Florida"] = "FL", ["Georgia"] = "GA", ["Hawaii"] = "HI", ["Idaho"] = "ID",
        ["Illinois"] = "IL", ["Indiana"] = "IN", ["Iowa"] = "IA", ["Kansas"] = "KS", ["Kentucky"] = "KY", ["Louisiana"] = "LA",
        ["Maine"] = "ME", ["Maryland"] = "MD", ["Massachusetts"] = "MA", ["Michigan"] = "MI", ["Minnesota"] = "MN",
        ["Mississippi"] = "MS", ["Missouri"] = "MO", ["Montana"] = "MT", ["Nebraska"] = "NE", ["Nevada"] = "NV",
        ["New Hampshire"] = "NH", ["New Jersey"] = "NJ", ["New Mexico"] = "NM", ["New York"] = "NY", ["North Carolina"] = "NC",
        ["North Dakota"] = "ND", ["Ohio"] = "OH", ["Oklahoma"] = "OK", ["Oregon"] = "OR", ["Pennsylvania"] = "PA",
        ["Rhode Island"] = "RI", ["South Carolina"] = "SC", ["South Dakota"] = "SD", ["Tennessee"] = "TN", ["Texas"] = "TX",
        ["Utah"] = "UT", ["Vermont"] = "VT", ["Virginia"] = "VA", ["Washington"] = "WA", ["Washington State"] = "WA",
        ["West Virginia"] = "WV", ["Wisconsin"] = "WI", ["Wyoming"] = "WY", ["Washington D.C."] = "DC", ["District of Columbia"] = "DC",
    };

    /// <summary>The US state (two-letter code) of an E.164 number's area code, or null (not a US geographic number, toll-free, withheld, malformed).</summary>
    /// <param name="e164">The caller's number, e.g. <c>+14155550123</c>; anything else gives null.</param>
    /// <returns>The state code or null.</returns>
    public static string? StateOf(string? e164)
    {
        if (string.IsNullOrWhiteSpace(e164) || !e164.StartsWith("+1", StringComparison.Ordinal))
        {
            return null;
        }

        PhoneNumber number;
        try
        {
            number = PhoneNumberUtil.GetInstance().Parse(e164, null);
        }
        catch (NumberParseException)
        {
            return null;
        }

        if (PhoneNumberUtil.GetInstance().GetRegionCodeForNumber(number) != "US")
        {
            return null;
        }

        string description = PhoneNumberOfflineGeocoder.GetInstance().GetDescriptionForNumber(number, Locale.English).Trim();
        if (description.Length == 0)
        {
            return null;
        }

        int comma = description.LastIndexOf(',');
        if (comma >= 0)
        {
            string code = description[(comma + 1)..].Trim();
            return code.Length == 2 ? code.ToUpperInvariant() : null;
        }

        return StateCodes.GetValueOrDefault(description);
    }

    /// <summary>True when a caller from <paramref name="e164"/> must consent before being recorded (unknown states are treated as not requiring it).</summary>
    /// <param name="e164">The caller's number.</param>
    /// <returns>Whether consent is required.</returns>
    public static bool IsRequired(string? e164) => StateOf(e164) is { } state && TwoPartyConsentStates.Contains(state);

    /// <summary>Reads a yes/no answer: true, false, or null when unclear. "No" wins over "yes" ("yes, I mean no" → false is safer).</summary>
    /// <param name="text">The caller's words.</param>
    /// <returns>The answer or null.</returns>
    public static bool? ParseYesNo(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string normalized = new([.. text.ToLowerInvariant().Select(c => char.IsLetter(c) || c == '\'' ? c : ' ')]);
        string padded = " " + string.Join(' ', normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries)) + " ";
        if (NoWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)))
        {
            return false;
        }

        return YesWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)) ? true : null;
    }
}
