using System.Text;
using PhoneNumbers;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Pulls a callback number out of typed or speech-transcribed caller text ("(555) 123 4567",
/// "five five five one two three...", "double five", "oh" for zero) and returns it in E.164 so the
/// messaging layer can text or call it back.
/// </summary>
public static class PhoneExtractor
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Returns the first plausible phone number in <paramref name="text"/> as E.164 ("+15551234567"), parsing with
    /// <paramref name="defaultRegion"/> (ISO 3166 alpha-2, e.g. "US") when no "+" country code was given. Numbers
    /// libphonenumber considers valid, or possible with a full national length (e.g. the 555-01xx fictional range), are accepted.
    /// Returns null when there is none.
    /// </summary>
    public static string? TryExtract(string text, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var run in DigitRuns(text))
        {
            var e164 = TryFormat(run, defaultRegion);
            if (e164 is not null)
            {
                return e164;
            }
        }

        return null;
    }

    private static string? TryFormat(string run, string region)
    {
        var digits = run.TrimStart('+');
        var candidates = digits.Length > 11 && run[0] != '+'
            ? new[] { run, digits[..10], digits[..11] }
            : new[] { run };
        foreach (var candidate in candidates)
        {
            try
            {
                var number = Util.Parse(candidate, region);
                if (Util.IsValidNumber(number)
                    || Util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
                {
                    return Util.Format(number, PhoneNumberFormat.E164);
                }
            }
            catch (NumberParseException)
            {
                // Not a number in this form; try the next candidate.
            }
        }

        return null;
    }

    /// <summary>Splits the text into runs of 7+ digits (spoken or written), keeping a leading "+".</summary>
    private static List<string> DigitRuns(string text)
    {
        var runs = new List<string>(2);
        var run = new StringBuilder(16);
        var multiplier = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                run.Append(c, multiplier);
                multiplier = 1;
                i++;
            }
            else if (c == '+')
            {
                Flush(runs, run);
                run.Append('+');
                i++;
            }
            else if (c is ' ' or '-' or '.' or '(' or ')' or ',' or '\t' or '\u2013' or '\u2014')
            {
                i++;
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetter(text[i]) || text[i] == '\''))
                {
                    i++;
                }

                var word = text[start..i].ToLowerInvariant();
                if (!AppendWord(run, word, ref multiplier))
                {
                    Flush(runs, run);
                    multiplier = 1;
                    if (word == "plus")
                    {
                        run.Append('+');
                    }
                }
            }
            else
            {
                Flush(runs, run);
                multiplier = 1;
                i++;
            }
        }

        Flush(runs, run);
        return runs;
    }

    private static bool AppendWord(StringBuilder run, string word, ref int multiplier)
    {
        var digit = NumberWords.SpokenDigit(word);
        if (digit >= 0 && (word != "o" || run.Length > 0))
        {
            run.Append((char)('0' + digit), multiplier);
            multiplier = 1;
            return true;
        }

        switch (word)
        {
            case "double":
                multiplier = 2;
                return true;
            case "triple":
                multiplier = 3;
                return true;
            case "uh" or "um" or "umm" or "dash" or "hyphen":
                return run.Length > 0;
            case "hundred" when run.Length > 0:
                run.Append("00");
                return true;
            case "thousand" when run.Length > 0:
                run.Append("000");
                return true;
        }

        var tokens = new[] { word };
        if (NumberWords.TryCardinal(tokens, 0, out var value) == 1 && value is >= 10 and <= 99)
        {
            run.Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (value % 10 == 0 && value >= 20)
            {
                // "fifty five": the unit word that follows replaces the zero.
                run.Length--;
                run.Append('#');
            }

            return true;
        }

        return false;
    }

    private static void Flush(List<string> runs, StringBuilder run)
    {
        if (run.Length == 0)
        {
            return;
        }

        var value = FixTens(run);
        run.Clear();
        var digitCount = value.Length - (value.StartsWith('+') ? 1 : 0);
        if (digitCount >= 7)
        {
            runs.Add(value);
        }
    }

    /// <summary>Resolves "#" placeholders left by tens words: "5#5" (fifty five) becomes "55", a lone "5#" becomes "50".</summary>
    private static string FixTens(StringBuilder run)
    {
        var sb = new StringBuilder(run.Length);
        for (var i = 0; i < run.Length; i++)
        {
            var c = run[i];
            if (c != '#')
            {
                sb.Append(c);
                continue;
            }

            var next = i + 1 < run.Length ? run[i + 1] : ' ';
            var nextIsUnit = next is >= '1' and <= '9' && (i + 2 >= run.Length || run[i + 2] != '#');
            if (!nextIsUnit)
            {
                sb.Append('0');
            }
        }

        return sb.ToString();
    }
}
