using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// Cuts a retrieved passage (an FAQ answer or a document chunk) into the units an answer may quote: sentences, and
/// lines that stand alone (list items, "Kids' cuts: $30"). Markdown headings, bullet markers and "Q:"/"A:" labels are
/// dropped; a hard-wrapped line that continues a sentence is joined back to it. A period ends a sentence only when a
/// space follows and the word before it is not an abbreviation (<see cref="Abbreviations"/>), so "$9.50" and
/// "Dr. Lee" stay whole.
/// </summary>
public static partial class QuotableText
{
    /// <summary>The quotable units of <paramref name="text"/>, in order, each trimmed and ending with '.', '?' or '!'.</summary>
    public static IReadOnlyList<string> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var units = new List<string>();
        foreach (var line in Lines(text))
        {
            foreach (var sentence in SplitLine(line))
            {
                var s = sentence.Trim();
                if (s.Length > 1 && s.Any(char.IsLetterOrDigit))
                {
                    units.Add(s[^1] is '.' or '?' or '!' ? s : s.TrimEnd(':', ';', ',', ' ') + ".");
                }
            }
        }

        return units;
    }

    /// <summary>
    /// <paramref name="sentence"/> without a short leading label ("Late policy: if you're late…" → "If you're late…"), so a
    /// note reads as a spoken sentence; unchanged when what follows the label is not a sentence ("Kids' cut: $30").
    /// </summary>
    public static string WithoutLabel(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var m = Label().Match(sentence);
        if (!m.Success)
        {
            return sentence;
        }

        var rest = sentence[m.Length..];
        return QuotableWords(rest) >= 4 ? char.ToUpperInvariant(rest[0]) + rest[1..] : sentence;

        static int QuotableWords(string s) => WordCount(s);
    }

    /// <summary>Number of words in <paramref name="text"/> (runs of non-space characters).</summary>
    public static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>True when <paramref name="text"/> states an amount of money or says something is free ("$30", "45 dollars", "no charge").</summary>
    public static bool StatesPrice(string text) => Money().IsMatch(text);

    private static IEnumerable<string> Lines(string text)
    {
        var current = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0 || IsLabelOnly(line))
            {
                // A heading, a blank line or a label ("Prices:") ends what came before and is not itself quoted.
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                continue;
            }

            line = Marker().Replace(line, "");
            var continues = current.Length > 0 && current[^1] is not ('.' or '?' or '!' or ':') && char.IsLower(line[0]);
            if (!continues && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : "").Append(line);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static bool IsLabelOnly(string line) => line.EndsWith(':') && line.Length <= 40 && !line.Contains(". ", StringComparison.Ordinal);

    private static IEnumerable<string> SplitLine(string line)
    {
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is not ('.' or '?' or '!') || i + 1 >= line.Length || !char.IsWhiteSpace(line[i + 1]))
            {
                continue;
            }

            if (c == '.' && IsAbbreviated(line, i))
            {
                continue;
            }

            // The next sentence starts with a capital, a digit, a quote or a currency sign; "e.g. a crown" is one sentence.
            var next = i + 1;
            while (next < line.Length && char.IsWhiteSpace(line[next]))
            {
                next++;
            }

            if (next < line.Length && !(char.IsUpper(line[next]) || char.IsDigit(line[next]) || line[next] is '"' or '\'' or '$' or '(' or '\u201C'))
            {
                continue;
            }

            yield return line[start..(i + 1)];
            start = i + 1;
        }

        if (start < line.Length)
        {
            yield return line[start..];
        }
    }

    private static bool IsAbbreviated(string text, int period)
    {
        var start = period;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }

        return Abbreviations.IsAbbreviation(text[start..period]);
    }

    [GeneratedRegex(@"^[A-Z][\w'\u2019 -]{0,24}:\s+(?=[A-Za-z])")]
    private static partial Regex Label();

    [GeneratedRegex(@"^(?:[-*\u2022\u2013>]+\s+|\d{1,2}[.)]\s+|(?:Q|A|Question|Answer)\s*[:.]\s+)", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();

    [GeneratedRegex(@"[$\u00A3\u20AC]\s?\d|\b\d[\d,.]*\s?(?:dollars|bucks|usd)\b|\b(?:free|no charge|free of charge|complimentary|at no cost)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Money();
}
