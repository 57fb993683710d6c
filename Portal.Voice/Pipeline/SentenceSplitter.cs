using System.Text;

namespace Portal.Voice.Pipeline;

/// <summary>
/// Turns a reply streamed as arbitrary text fragments (language-model tokens, or one whole reply) into sentences, so
/// each sentence can be synthesized and played while the rest of the reply is still being written: the first audio
/// leaves after the first sentence, not after the whole reply.
/// </summary>
/// <remarks>
/// A sentence ends at <c>.</c>, <c>!</c> or <c>?</c> (optionally followed by closing quotes or brackets) once the next
/// character is white space; a period after a common abbreviation ("Dr.", "Mr.", "St.", "e.g.") or a single capital
/// initial does not end one, and "3.5" never does (no white space). A fragment with no end in sight is cut at the last
/// comma, semicolon or space once it passes <see cref="MaxSentenceLength"/> characters, so a run-on reply still starts
/// speaking. Not thread-safe: one instance per reply.
/// </remarks>
public sealed class SentenceSplitter
{
    /// <summary>Longest sentence emitted before a forced cut, in characters (240: about 15 s of speech).</summary>
    public const int MaxSentenceLength = 240;

    private readonly StringBuilder _buffer = new();

    /// <summary>Characters held back waiting for the end of their sentence.</summary>
    public int PendingLength => _buffer.Length;

    /// <summary>Appends a fragment and returns the sentences it completed (trimmed, in order; often none).</summary>
    /// <param name="fragment">Any piece of the reply (a token, a word, a whole paragraph); null or empty adds nothing.</param>
    /// <returns>Completed sentences.</returns>
    public IReadOnlyList<string> Append(string? fragment)
    {
        if (string.IsNullOrEmpty(fragment))
        {
            return [];
        }

        _buffer.Append(fragment);
        List<string>? done = null;
        int start = 0;
        for (int i = 0; i < _buffer.Length; i++)
        {
            char c = _buffer[i];
            if (c is not ('.' or '!' or '?'))
            {
                continue;
            }

            int end = i + 1;
            while (end < _buffer.Length && _buffer[end] is '"' or '\'' or ')' or ']' or '”' or '’')
            {
                end++;
            }

            if (end >= _buffer.Length || !char.IsWhiteSpace(_buffer[end]))
            {
                continue; // no white space yet: "3.5", "e.g." mid-token, or the fragment ends here
            }

            if (c == '.' && IsAbbreviation(start, i))
            {
                continue;
            }

            Add(ref done, start, end);
            start = end;
            i = end - 1;
        }

        _buffer.Remove(0, start);
        while (_buffer.Length > MaxSentenceLength)
        {
            int cut = LastBreak(MaxSentenceLength);
            Add(ref done, 0, cut);
            _buffer.Remove(0, cut);
        }

        return (IReadOnlyList<string>?)done ?? [];
    }

    /// <summary>Returns whatever is left (the last sentence, which may lack punctuation) and empties the splitter; null when nothing but white space is left.</summary>
    /// <returns>The remaining text, trimmed, or null.</returns>
    public string? Flush()
    {
        string rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length == 0 ? null : rest;
    }

    /// <summary>Splits a whole text into sentences (the same rules as <see cref="Append"/> then <see cref="Flush"/>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its sentences, trimmed, none empty.</returns>
    public static IReadOnlyList<string> Split(string? text)
    {
        var splitter = new SentenceSplitter();
        var sentences = new List<string>(splitter.Append(text));
        if (splitter.Flush() is { } last)
        {
            sentences.Add(last);
        }

        return sentences;
    }

    private void Add(ref List<string>? done, int start, int end)
    {
        string sentence = _buffer.ToString(start, end - start).Trim();
        if (sentence.Length > 0)
        {
            (done ??= []).Add(sentence);
        }
    }

    private bool IsAbbreviation(int sentenceStart, int periodIndex)
    {
        int wordStart = periodIndex;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(_buffer[wordStart - 1]))
        {
            wordStart--;
        }

        return Portal.Domain.Conversations.Abbreviations.IsAbbreviation(_buffer.ToString(wordStart, periodIndex - wordStart));
    }

    private int LastBreak(int limit)
    {
        for (int i = limit - 1; i > limit / 2; i--)
        {
            if (_buffer[i] is ',' or ';' or ':')
            {
                return i + 1;
            }
        }

        for (int i = limit - 1; i > limit / 2; i--)
        {
            if (char.IsWhiteSpace(_buffer[i]))
            {
                return i + 1;
            }
        }

        return limit;
    }
}
