using System.Collections.Frozen;
using System.Text;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Turns raw typed or transcribed caller text into one canonical shape so every rule in the understanding layer
/// is written once: lower case, single spaces, contractions expanded, punctuation removed.
/// </summary>
public static class TextNormalizer
{
    private static readonly FrozenDictionary<string, string> Contractions = new Dictionary<string, string>
    {
        ["i'm"] = "i am", ["im"] = "i am", ["i'd"] = "i would", ["i'll"] = "i will", ["i've"] = "i have",
        ["ive"] = "i have", ["can't"] = "cannot", ["cant"] = "cannot", ["won't"] = "will not", ["wont"] = "will not",
        ["shan't"] = "shall not", ["ain't"] = "is not", ["let's"] = "let us", ["y'all"] = "you all",
        ["gonna"] = "going to", ["wanna"] = "want to", ["gotta"] = "got to", ["dont"] = "do not",
        ["doesnt"] = "does not", ["didnt"] = "did not", ["isnt"] = "is not", ["arent"] = "are not",
        ["wasnt"] = "was not", ["werent"] = "were not", ["couldnt"] = "could not", ["wouldnt"] = "would not",
        ["shouldnt"] = "should not", ["havent"] = "have not", ["hasnt"] = "has not", ["thats"] = "that is",
        ["whats"] = "what is", ["its"] = "it is", ["theres"] = "there is", ["wheres"] = "where is",
        ["hows"] = "how is", ["whos"] = "who is", ["youre"] = "you are", ["o'clock"] = "oclock",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> IsBases = new[]
    {
        "it", "that", "what", "where", "there", "here", "he", "she", "who", "how", "when", "why", "name", "this",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Normalizes <paramref name="text"/>: lower case (invariant), punctuation replaced by spaces except colons and
    /// slashes between digits ("10:30", "12/5"), "10.30" becomes "10:30", "a.m."/"p.m." become "am"/"pm",
    /// "$50" becomes "50 dollars", digits glued to words are split ("3pm" becomes "3 pm", ordinals like "5th" stay),
    /// contractions expanded ("i'd" becomes "i would", "can't" becomes "cannot"), single spaces, no leading/trailing space.
    /// Number words stay words. Returns an empty string for null/blank input.
    /// </summary>
    public static string Normalize(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var raw = CleanCharacters(text);
        var output = new StringBuilder(raw.Length + 16);
        foreach (var token in raw.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            AppendToken(output, token);
        }

        return output.ToString();
    }

    private static string CleanCharacters(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var n = text.Length;
        for (var i = 0; i < n; i++)
        {
            var c = char.ToLowerInvariant(text[i]);
            var prev = i > 0 ? text[i - 1] : ' ';
            var next = i + 1 < n ? text[i + 1] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if ((c is 'a' or 'p') && next == '.' && i + 2 < n && char.ToLowerInvariant(text[i + 2]) == 'm'
                    && !char.IsLetter(prev) && (i + 3 >= n || !char.IsLetter(text[i + 3])))
                {
                    sb.Append(c).Append('m').Append(' ');
                    i += i + 3 < n && text[i + 3] == '.' ? 3 : 2;
                    continue;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '\'' or '\u2019' or '\u2018' or '`':
                    sb.Append(char.IsLetter(prev) && char.IsLetter(next) ? '\'' : ' ');
                    break;
                case ':' or '/' when char.IsAsciiDigit(prev) && char.IsAsciiDigit(next):
                    sb.Append(c);
                    break;
                case '.' when char.IsAsciiDigit(prev) && IsClockMinutes(text, i):
                    sb.Append(':');
                    break;
                case '$' when char.IsAsciiDigit(next):
                    i = AppendMoney(sb, text, i + 1) - 1;
                    break;
                case '&':
                    sb.Append(" and ");
                    break;
                case '@':
                    sb.Append(" at ");
                    break;
                default:
                    sb.Append(' ');
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsClockMinutes(string text, int dot)
    {
        // "10.30" -> time when 1-2 digits precede and exactly 2 digits follow.
        var before = 0;
        for (var j = dot - 1; j >= 0 && char.IsAsciiDigit(text[j]); j--)
        {
            before++;
        }

        if (before is < 1 or > 2 || dot > before && text[dot - before - 1] is '.' or '$')
        {
            return false;
        }

        return dot + 2 < text.Length && char.IsAsciiDigit(text[dot + 1]) && char.IsAsciiDigit(text[dot + 2])
            && (dot + 3 >= text.Length || !char.IsAsciiDigit(text[dot + 3]));
    }

    private static int AppendMoney(StringBuilder sb, string text, int start)
    {
        var i = start;
        sb.Append(' ');
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == ','))
        {
            if (text[i] != ',')
            {
                sb.Append(text[i]);
            }

            i++;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        sb.Append(" dollars ");
        return i;
    }

    private static void AppendToken(StringBuilder output, string token)
    {
        if (Contractions.TryGetValue(token, out var expanded))
        {
            AppendWord(output, expanded);
            return;
        }

        var apostrophe = token.IndexOf('\'', StringComparison.Ordinal);
        if (apostrophe >= 0)
        {
            token = ExpandApostrophe(token, apostrophe);
            if (token.Contains(' ', StringComparison.Ordinal))
            {
                AppendWord(output, token);
                return;
            }
        }

        SplitDigitsFromLetters(output, token);
    }

    private static string ExpandApostrophe(string token, int apostrophe)
    {
        var head = token[..apostrophe];
        var tail = token[(apostrophe + 1)..];
        if (tail == "t" && head.EndsWith('n'))
        {
            return head[..^1] + " not";
        }

        return tail switch
        {
            "re" => head + " are",
            "ll" => head + " will",
            "ve" => head + " have",
            "d" => head + " would",
            "m" => head + " am",
            "s" => IsBases.Contains(head) ? head + " is" : head,
            _ => head + tail,
        };
    }

    private static void SplitDigitsFromLetters(StringBuilder output, string token)
    {
        var start = 0;
        for (var i = 1; i < token.Length; i++)
        {
            if (!char.IsAsciiDigit(token[i - 1]) || char.IsAsciiDigit(token[i]) || token[i] is ':' or '/')
            {
                continue;
            }

            var rest = token[i..];
            if (rest is "st" or "nd" or "rd" or "th")
            {
                break;
            }

            AppendWord(output, token[start..i]);
            start = i;
        }

        AppendWord(output, token[start..]);
    }

    private static void AppendWord(StringBuilder output, string word)
    {
        if (word.Length == 0)
        {
            return;
        }

        if (output.Length > 0)
        {
            output.Append(' ');
        }

        output.Append(word);
    }
}
