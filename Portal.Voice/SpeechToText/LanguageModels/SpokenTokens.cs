using System.Globalization;
using System.Text;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// Turns written text (a business name, a service, a corpus sentence) into the words a caller says, as a pronunciation
/// dictionary spells them: lower case, apostrophes kept ("i'd"), "&amp;" read "and", "dr." read "doctor", numbers read
/// out ("24" becomes "twenty four"), other punctuation dropped.
/// </summary>
public static class SpokenTokens
{
    private static readonly string[] Units =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["dr"] = "doctor", ["mr"] = "mister", ["mrs"] = "missus", ["ms"] = "miz", ["st"] = "saint", ["co"] = "company",
        ["inc"] = "incorporated", ["llc"] = "l l c", ["ac"] = "a c", ["hvac"] = "h v a c",
    };

    /// <summary>Splits <paramref name="text"/> into spoken words.</summary>
    /// <param name="text">Any text; null or blank gives no words.</param>
    /// <returns>Lower-case words; never null.</returns>
    public static IReadOnlyList<string> Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var c in text.ToLowerInvariant().Replace("&", " and ", StringComparison.Ordinal))
        {
            cleaned.Append(char.IsLetterOrDigit(c) || c == '\'' ? c : ' ');
        }

        var words = new List<string>();
        foreach (var raw in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('\'');
            if (word.Length == 0)
            {
                continue;
            }

            if (Abbreviations.TryGetValue(word, out var spoken))
            {
                words.AddRange(spoken.Split(' '));
            }
            else if (word.All(char.IsAsciiDigit) && word.Length <= 4 && int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                words.AddRange(NumberToWords(number).Split(' '));
            }
            else
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>Reads a number the way people say it ("1 2 0 0" digits aside): 7 "seven", 45 "forty five", 1200 "twelve hundred".</summary>
    /// <param name="number">0 to 9999.</param>
    /// <returns>The words, space-separated.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0..9999.</exception>
    public static string NumberToWords(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 9999);
        if (number < 20)
        {
            return Units[number];
        }

        if (number < 100)
        {
            return number % 10 == 0 ? Tens[number / 10] : $"{Tens[number / 10]} {Units[number % 10]}";
        }

        if (number % 100 == 0 && number < 10000 && number / 100 < 20)
        {
            return $"{Units[number / 100]} hundred";
        }

        if (number < 1000)
        {
            return $"{Units[number / 100]} hundred {NumberToWords(number % 100)}";
        }

        // 1500 "fifteen hundred", 2024 "twenty twenty four": the way years and street numbers are read.
        int high = number / 100;
        int low = number % 100;
        string head = NumberToWords(high);
        return low == 0 ? $"{head} hundred" : low < 10 ? $"{head} oh {Units[low]}" : $"{head} {NumberToWords(low)}";
    }
}
