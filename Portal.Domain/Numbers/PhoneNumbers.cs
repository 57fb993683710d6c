using PhoneNumbers;

namespace Portal.Domain.Numbers;

/// <summary>E.164 normalization with libphonenumber (https://github.com/google/libphonenumber).</summary>
public static class E164
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses a phone number as typed ("(212) 555-0142", "+44 20 7946 0958") into E.164
    /// ("+12125550142"); <paramref name="defaultRegion"/> is ISO 3166-1 alpha-2 for numbers without
    /// a country code. Accepts possible numbers (the fictional 555-01xx range is possible but not
    /// valid). Returns null when the text is not a phone number.
    /// </summary>
    public static string? TryNormalize(string? text, string defaultRegion = "US")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var number = Util.Parse(text, defaultRegion);
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>National display format ("(212) 555-0142") of an E.164 number; the input when it cannot be parsed.</summary>
    public static string Display(string e164)
    {
        try
        {
            var number = Util.Parse(e164, "US");
            return number.CountryCode == 1
                ? Util.Format(number, PhoneNumberFormat.NATIONAL)
                : Util.Format(number, PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }
}
