using System.Text.RegularExpressions;

namespace Portal.Domain.Brain.Pii;

/// <summary>
/// The regular expressions behind <see cref="PiiRedactor"/>, each anchored on word boundaries. All but one run on .NET's
/// non-backtracking engine, whose matching time is linear in the input by construction
/// (https://learn.microsoft.com/dotnet/standard/base-types/regular-expression-options#nonbacktracking-mode), so a hostile
/// transcript cannot make them slow and no wall-clock timeout is needed (one would fail good input on a CPU-starved machine).
/// </summary>
internal static class PiiPatterns
{
    private static readonly TimeSpan Limit = Regex.InfiniteMatchTimeout;
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>Spoken digits ("four one one one"); "oh" reads as zero.</summary>
    internal const string DigitWord = "zero|oh|one|two|three|four|five|six|seven|eight|nine";

    private const string Month = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

    private const string OrdinalWord = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty[- ]first";

    private const string NumberWord = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|oh";

    /// <summary>
    /// A run of written digits with the separators people use in numbers (space, dash, dot, comma, brackets, a leading plus).
    /// Backtracking engine (it needs the look-behind), still linear: the trailing loop can always stop, so a run that
    /// starts is never retried, and a start fails on its first character.
    /// </summary>
    internal static readonly Regex NumberRun = new(
        @"(?<![\w+])\+?\(?\d+\)?(?:[ \t.,\-]{0,3}\(?\d+\)?)*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, Limit);

    /// <summary>A run of spoken digits ("four one one one, one one…"); written and spoken digits are never mixed in one run.</summary>
    internal static readonly Regex SpokenNumberRun = new(
        $@"\b(?:{DigitWord})\b(?:[ \t,\-]{{1,3}}(?:{DigitWord})\b)*",
        Options, Limit);

    /// <summary>A formatted telephone number: (415) 555-0132, 415-555-0132, 1-800-555-0199, or any number written with a leading plus.</summary>
    internal static readonly Regex PhoneShape = new(
        @"^(?:\+.*|(?:1[ .\-])?\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4})$",
        Options, Limit);

    /// <summary>Written email addresses.</summary>
    internal static readonly Regex Email = new(@"\b[A-Z0-9._%+\-]+@[A-Z0-9.\-]+\.[A-Z]{2,}\b", Options, Limit);

    /// <summary>Spoken or half-spoken email addresses: "ann dot lee at gmail dot com", "ann.lee at gmail.com".</summary>
    internal static readonly Regex SpokenEmail = new(
        @"\b[A-Z0-9_\-]+(?:(?:\s+(?:dot|underscore|dash)\s+|[._\-])[A-Z0-9]+)*\s+(?:at|@)\s+[A-Z0-9\-]+(?:(?:\s+dot\s+|\.)[A-Z0-9\-]+)*(?:\s+dot\s+|\.)(?:com|net|org|edu|gov|io|co|us|ca|uk|info|biz|me)\b",
        Options, Limit);

    /// <summary>IBANs (ISO 13616): country, check digits, then up to 30 alphanumerics, optionally grouped by four.</summary>
    internal static readonly Regex Iban = new(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Limit);

    /// <summary>Numeric dates: 03/14/1985, 3-14-85, 14.03.1985, 1985-03-14.</summary>
    internal static readonly Regex NumericDate = new(
        @"\b(?:(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|[12]\d|3[01])[/.\-](?:19|20)?\d{2}|(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))\b",
        Options, Limit);

    /// <summary>Dates with a month name: "March 14, 1985", "14th of March 1985", "march fourteenth nineteen eighty-five", "March 3rd".</summary>
    internal static readonly Regex NamedDate = new(
        $@"\b(?:(?:{Month})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?|{OrdinalWord})|(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?|{OrdinalWord})\s+(?:of\s+)?(?:{Month})\.?)(?:,?\s+(?:(?:19|20)\d{{2}}|(?:nineteen|two\s+thousand(?:\s+and)?)(?:[\s\-]+(?:{NumberWord})){{0,2}}))?\b",
        Options, Limit);

    /// <summary>Words that, shortly before a date, make it a date of birth.</summary>
    internal static readonly Regex BirthContext = new(@"\b(?:born|birth|birthday|b-?day|dob|d\.o\.b|date\s+of\s+birth)\b", Options, Limit);

    /// <summary>Words that, shortly before a number, make it a social-security number.</summary>
    internal static readonly Regex SsnContext = new(@"\b(?:social|ssn|security\s+number|s\.s\.n)\b", Options, Limit);

    /// <summary>Words that, shortly before a number, make it a bank account or routing number.</summary>
    internal static readonly Regex BankContext = new(@"\b(?:account|acct|routing|aba|iban|checking|savings|bank)\b", Options, Limit);

    /// <summary>Words that, shortly before a number, make it a payment card.</summary>
    internal static readonly Regex CardContext = new(@"\b(?:card|visa|mastercard|amex|american\s+express|discover|credit|debit)\b", Options, Limit);

    /// <summary>Words that, shortly before a 7-digit number, make it a phone number.</summary>
    internal static readonly Regex PhoneContext = new(@"\b(?:call|phone|number|cell|mobile|reach|text|dial|fax)\b", Options, Limit);

    /// <summary>
    /// Street addresses: a house number, up to four name words and a street suffix, then an optional unit, city, state and ZIP.
    /// The name words are checked against <see cref="PiiRedactor"/>'s stop words afterwards ("2 tires on my way" is no address).
    /// </summary>
    internal static readonly Regex StreetAddress = new(
        @"\b\d{1,6}[A-Z]?\s+(?<name>(?:[A-Z0-9'][A-Z0-9'\-]*\.?\s+){1,4}?)(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|crescent|close|alley)\b\.?(?:,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*#?[A-Z0-9\-]+)?(?:,\s*(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:,?\s+(?-i:[A-Z]{2})\b)?(?:\s+\d{5}(?:-\d{4})?)?)?",
        Options, Limit);

    /// <summary>Post-office boxes.</summary>
    internal static readonly Regex PoBox = new(@"\bP\.?\s?O\.?\s+Box\s+\d+\b", Options, Limit);

    /// <summary>A four-digit year of the 1900s or 2000s.</summary>
    internal static readonly Regex Year = new(@"(?:19|20)\d{2}", Options, Limit);

    /// <summary>A social-security number's written shape: 123-45-6789 or 123 45 6789.</summary>
    internal static readonly Regex SsnShape = new(@"^\d{3}[- ]\d{2}[- ]\d{4}$", Options, Limit);

    /// <summary>A seven-digit local telephone number: 555-0132.</summary>
    internal static readonly Regex LocalPhoneShape = new(@"^\d{3}[-. ]\d{4}$", Options, Limit);

    /// <summary>One spoken or written digit of a number.</summary>
    internal static readonly Regex DigitToken = new($@"\d|(?:{DigitWord})\b", Options, Limit);
}
