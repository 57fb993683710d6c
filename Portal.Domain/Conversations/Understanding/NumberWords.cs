using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Reads small numbers written as digits or English words ("7", "seven", "twenty one", "21st", "twenty first")
/// from normalized tokens. Shared by the temporal parser; values stay below 100.
/// </summary>
internal static class NumberWords
{
    private static readonly FrozenDictionary<string, int> Units = new Dictionary<string, int>
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
        ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17,
        ["eighteen"] = 18, ["nineteen"] = 19,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> Tens = new Dictionary<string, int>
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fourty"] = 40, ["fifty"] = 50,
        ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> OrdinalUnits = new Dictionary<string, int>
    {
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["sixth"] = 6,
        ["seventh"] = 7, ["eighth"] = 8, ["ninth"] = 9, ["tenth"] = 10, ["eleventh"] = 11, ["twelfth"] = 12,
        ["thirteenth"] = 13, ["fourteenth"] = 14, ["fifteenth"] = 15, ["sixteenth"] = 16,
        ["seventeenth"] = 17, ["eighteenth"] = 18, ["nineteenth"] = 19, ["twentieth"] = 20, ["thirtieth"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Digit value of a single spoken digit ("oh" and "o" count as zero), or -1.</summary>
    public static int SpokenDigit(string token) => token switch
    {
        "zero" or "oh" or "o" => 0,
        "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5,
        "six" => 6, "seven" => 7, "eight" => 8, "nine" => 9,
        _ => token.Length == 1 && char.IsAsciiDigit(token[0]) ? token[0] - '0' : -1,
    };

    /// <summary>True when every character is an ASCII digit.</summary>
    public static bool IsDigits(string token)
    {
        if (token.Length == 0)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the token is a number word (unit, teen or tens).</summary>
    public static bool IsNumberWord(string token) => Units.ContainsKey(token) || Tens.ContainsKey(token);

    /// <summary>
    /// Reads a cardinal at <paramref name="index"/>: up to 3 digits, or words up to ninety-nine.
    /// Returns the number of tokens consumed (0 when there is no cardinal there).
    /// </summary>
    public static int TryCardinal(string[] tokens, int index, out int value)
    {
        value = 0;
        if (index >= tokens.Length)
        {
            return 0;
        }

        var token = tokens[index];
        if (IsDigits(token))
        {
            if (token.Length > 3)
            {
                return 0;
            }

            value = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            return 1;
        }

        if (Units.TryGetValue(token, out value))
        {
            return 1;
        }

        if (Tens.TryGetValue(token, out value))
        {
            if (index + 1 < tokens.Length && Units.TryGetValue(tokens[index + 1], out var unit) && unit is > 0 and < 10)
            {
                value += unit;
                return 2;
            }

            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Reads an ordinal at <paramref name="index"/>: "5th", "21st", "fifth", "twenty first", "thirtieth".
    /// Returns the number of tokens consumed (0 when there is no ordinal there).
    /// </summary>
    public static int TryOrdinal(string[] tokens, int index, out int value)
    {
        value = 0;
        if (index >= tokens.Length)
        {
            return 0;
        }

        var token = tokens[index];
        if (token.Length is >= 3 and <= 4 && char.IsAsciiDigit(token[0]))
        {
            var suffix = token[^2..];
            var digits = token[..^2];
            if (suffix is "st" or "nd" or "rd" or "th" && IsDigits(digits))
            {
                value = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
                return 1;
            }

            return 0;
        }

        if (OrdinalUnits.TryGetValue(token, out value))
        {
            return 1;
        }

        if (Tens.TryGetValue(token, out var tens) && index + 1 < tokens.Length
            && OrdinalUnits.TryGetValue(tokens[index + 1], out var unit) && unit < 10)
        {
            value = tens + unit;
            return 2;
        }

        return 0;
    }
}
