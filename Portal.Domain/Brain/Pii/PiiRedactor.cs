using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Data.Entities;

namespace Portal.Domain.Brain.Pii;

/// <summary>What the redactor may remove and what it must leave.</summary>
/// <param name="Categories">The categories to replace; the others are still detected (so a card is never mistaken for a phone) but left in place.</param>
/// <param name="BusinessPhones">The business's own numbers (any format): the agent saying them is no caller's data.</param>
/// <param name="BusinessAddress">The business's own street address, kept when the agent gives directions.</param>
/// <param name="ReferenceYear">This year (from the caller's <see cref="TimeProvider"/>): a date in a year at least 12 years before it is a date of birth even without "born".</param>
public sealed record RedactionOptions(PiiCategory Categories, int ReferenceYear, IReadOnlyCollection<string>? BusinessPhones = null, string? BusinessAddress = null)
{
    /// <summary>Every category, nothing kept, dates judged against <paramref name="referenceYear"/>.</summary>
    public static RedactionOptions All(int referenceYear) => new(PiiCategory.All, referenceYear);
}

/// <summary>
/// Finds and replaces personal data in what callers and the agent said, before it is stored for good: payment cards (Luhn
/// checked, ISO/IEC 7812), email addresses (written and spoken), phone numbers, bank account/routing numbers and IBANs,
/// US social-security numbers, dates of birth and street addresses. Digits may be written or spoken ("four one one one…"),
/// as speech-to-text gives them. Deterministic and offline; the categories, their recall and precision are measured by
/// the PII evaluation in the domain tests.
/// </summary>
public static class PiiRedactor
{
    private const int ContextChars = 48;

    private static readonly HashSet<string> AddressStopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "on", "my", "your", "our", "their", "his", "her", "at", "to", "in", "for", "of", "and", "or", "is", "are",
        "was", "with", "this", "that", "it", "i", "we", "you", "be", "by", "from", "am", "pm", "minutes", "minute", "hours", "hour",
        "days", "day", "weeks", "people", "times", "tires", "cars", "miles", "dollars", "bucks", "kids", "percent",
    };

    /// <summary>The placeholder a category's data is replaced with.</summary>
    public static string Placeholder(PiiCategory category) => category switch
    {
        PiiCategory.Card => "[card number]",
        PiiCategory.Email => "[email]",
        PiiCategory.Phone => "[phone]",
        PiiCategory.BankAccount => "[account number]",
        PiiCategory.Ssn => "[SSN]",
        PiiCategory.DateOfBirth => "[date of birth]",
        PiiCategory.StreetAddress => "[address]",
        _ => "[redacted]",
    };

    /// <summary>Finds personal data in <paramref name="text"/> (every category, none overlapping), ordered by start.</summary>
    /// <param name="text">Any text; null or empty gives no matches.</param>
    /// <param name="options">The reference year, and the business's own phones and address, which are never reported.</param>
    public static IReadOnlyList<PiiMatch> Find(string? text, RedactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = new List<PiiMatch>();
        AddAll(found, text, PiiPatterns.Email, PiiCategory.Email);
        AddAll(found, text, PiiPatterns.SpokenEmail, PiiCategory.Email);
        AddAll(found, text, PiiPatterns.Iban, PiiCategory.BankAccount);
        AddDates(found, text, options.ReferenceYear);
        AddNumberRuns(found, text, options);
        AddAddresses(found, text, options);
        AddAll(found, text, PiiPatterns.PoBox, PiiCategory.StreetAddress);
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    /// <summary>Replaces the data of <paramref name="options"/>' categories by placeholders.</summary>
    /// <param name="text">Any text; null becomes empty.</param>
    /// <param name="options">Categories to remove and the business's own data to keep.</param>
    /// <returns>The redacted text and the matches that were replaced (original coordinates).</returns>
    public static RedactionResult Redact(string? text, RedactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        text ??= "";
        var replaced = Find(text, options).Where(m => (options.Categories & m.Category) != 0).ToList();
        if (replaced.Count == 0)
        {
            return new RedactionResult(text, []);
        }

        var sb = new StringBuilder(text.Length);
        int at = 0;
        foreach (var m in replaced)
        {
            sb.Append(text, at, m.Start - at).Append(Placeholder(m.Category));
            at = m.End;
        }

        sb.Append(text, at, text.Length - at);
        return new RedactionResult(sb.ToString(), replaced);
    }

    /// <summary>The Luhn (mod 10) check of ISO/IEC 7812-1, over a string of digits.</summary>
    public static bool PassesLuhn(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    private static void AddAll(List<PiiMatch> found, string text, Regex pattern, PiiCategory category)
    {
        foreach (Match m in pattern.Matches(text))
        {
            TryAdd(found, new PiiMatch(category, m.Index, m.Length));
        }
    }

    private static bool TryAdd(List<PiiMatch> found, PiiMatch candidate)
    {
        if (found.Any(f => f.Start < candidate.End && candidate.Start < f.End))
        {
            return false;
        }

        found.Add(candidate);
        return true;
    }

    private static string Before(string text, int index) => text[Math.Max(0, index - ContextChars)..index];

    private static void AddDates(List<PiiMatch> found, string text, int referenceYear)
    {
        int adultYear = referenceYear - 12;
        foreach (var pattern in new[] { PiiPatterns.NumericDate, PiiPatterns.NamedDate })
        {
            foreach (Match m in pattern.Matches(text))
            {
                bool context = PiiPatterns.BirthContext.IsMatch(Before(text, m.Index));
                var year = PiiPatterns.Year.Matches(m.Value).FirstOrDefault(y => y.Index + y.Length == m.Value.Length || !char.IsAsciiDigit(m.Value[y.Index + y.Length]));
                bool oldYear = year is not null && int.Parse(year.Value, CultureInfo.InvariantCulture) <= adultYear
                    || m.Value.Contains("nineteen", StringComparison.OrdinalIgnoreCase) && !m.Value.EndsWith("nineteen", StringComparison.OrdinalIgnoreCase);
                if (context || oldYear)
                {
                    TryAdd(found, new PiiMatch(PiiCategory.DateOfBirth, m.Index, m.Length));
                }
            }
        }
    }

    private static void AddNumberRuns(List<PiiMatch> found, string text, RedactionOptions options)
    {
        var businessDigits = (options.BusinessPhones ?? []).Select(DigitsOf).Where(d => d.Length >= 7).Select(Last10).ToHashSet();
        foreach (Match m in PiiPatterns.NumberRun.Matches(text).Concat(PiiPatterns.SpokenNumberRun.Matches(text)))
        {
            // A run ends on a digit: trailing separators ("… 4567, thanks") stay in the text.
            string value = m.Value.TrimEnd(' ', '\t', '.', ',', '-', '(');
            string digits = DigitsOf(value);
            if (digits.Length < 7)
            {
                continue;
            }

            var category = Classify(value, digits, Before(text, m.Index));
            if (category == PiiCategory.Phone && businessDigits.Contains(Last10(digits)))
            {
                continue;
            }

            if (category != PiiCategory.None)
            {
                TryAdd(found, new PiiMatch(category, m.Index, value.Length));
            }
        }
    }

    private static PiiCategory Classify(string value, string digits, string before)
    {
        int n = digits.Length;
        bool ssnShape = PiiPatterns.SsnShape.IsMatch(value);
        if (ssnShape || n == 9 && PiiPatterns.SsnContext.IsMatch(before))
        {
            return PiiCategory.Ssn;
        }

        bool card = n is >= 13 and <= 19 && PassesLuhn(digits);
        bool cardWords = PiiPatterns.CardContext.IsMatch(before);
        if (card && (cardWords || !PiiPatterns.BankContext.IsMatch(before)))
        {
            return PiiCategory.Card;
        }

        if (n is >= 6 and <= 17 && PiiPatterns.BankContext.IsMatch(before) && !PiiPatterns.PhoneShape.IsMatch(value))
        {
            return PiiCategory.BankAccount;
        }

        bool plus = value.StartsWith('+');
        if (n == 10 || n == 11 && digits[0] == '1' || plus && n is >= 8 and <= 15)
        {
            return PiiCategory.Phone;
        }

        if (n == 7 && (PiiPatterns.LocalPhoneShape.IsMatch(value) || PiiPatterns.PhoneContext.IsMatch(before)))
        {
            return PiiCategory.Phone;
        }

        return n is >= 12 and <= 15 && PiiPatterns.PhoneContext.IsMatch(before) ? PiiCategory.Phone : PiiCategory.None;
    }

    private static void AddAddresses(List<PiiMatch> found, string text, RedactionOptions options)
    {
        string? businessKey = AddressKey(options.BusinessAddress);
        foreach (Match m in PiiPatterns.StreetAddress.Matches(text))
        {
            var words = m.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(w => AddressStopWords.Contains(w.Trim('.', '\''))))
            {
                continue;
            }

            if (businessKey is not null && string.Equals(AddressKey(m.Value), businessKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            TryAdd(found, new PiiMatch(PiiCategory.StreetAddress, m.Index, m.Length));
        }
    }

    /// <summary>"123 main": the house number and first name word, enough to recognise the business's own address.</summary>
    private static string? AddressKey(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var words = address.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return words.Length >= 2 ? $"{words[0]} {words[1]}".ToLowerInvariant() : null;
    }

    private static string Last10(string digits) => digits.Length > 10 ? digits[^10..] : digits;

    /// <summary>The digits of a run, spoken digits included ("four one one" → "411", "oh" → 0).</summary>
    internal static string DigitsOf(string value)
    {
        var sb = new StringBuilder();
        foreach (Match token in PiiPatterns.DigitToken.Matches(value))
        {
            sb.Append(token.Value.ToLowerInvariant() switch
            {
                "zero" or "oh" => '0',
                "one" => '1',
                "two" => '2',
                "three" => '3',
                "four" => '4',
                "five" => '5',
                "six" => '6',
                "seven" => '7',
                "eight" => '8',
                "nine" => '9',
                var d => d[0],
            });
        }

        return sb.ToString();
    }
}
