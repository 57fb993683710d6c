using System.Text;

namespace Portal.Rag.Lexical;

/// <summary>Lower-cases, splits on non-alphanumerics, drops stop words and applies a light English suffix stemmer.</summary>
public static class Tokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "to", "of", "in", "on", "at", "for",
        "with", "by", "from", "it", "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "us", "you", "your", "he", "she", "they",
        "them", "what", "which", "who", "whom", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "have", "has", "had",
        "there", "here", "if", "so", "than", "then", "too", "very", "just", "about", "any", "some", "how", "please", "hi", "hello", "hey", "know",
        "tell", "want", "like", "get", "need", "wondering", "question", "ask", "also", "yes", "no", "ok", "okay", "um", "uh", "im", "id", "ive",
    };

    /// <summary>Index/query terms of <paramref name="text"/>.</summary>
    public static List<string> Terms(string text)
    {
        var result = new List<string>();
        var sb = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (ch == '\'')
            {
                continue;
            }
            else
            {
                Flush(sb, result);
            }
        }

        Flush(sb, result);
        return result;
    }

    private static void Flush(StringBuilder sb, List<string> result)
    {
        if (sb.Length == 0)
        {
            return;
        }

        var word = sb.ToString();
        sb.Clear();
        if (!StopWords.Contains(word))
        {
            result.Add(Stem(word));
        }
    }

    /// <summary>Strips common inflections: "cleanings" → "cleaning" → "clean", "accepts" → "accept", "policies" → "polici".</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || char.IsDigit(word[0]))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "i";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal))
        {
            word = word[..^1];
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return word[..^3];
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^2];
        }

        if (word.EndsWith('y') && word.Length > 3)
        {
            return word[..^1] + "i";
        }

        return word;
    }
}
