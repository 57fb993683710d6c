using System.Globalization;
using System.Text;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// Builds a word n-gram language model (bigram or trigram) from a sentence corpus and writes it in the ARPA text format
/// that pocketsphinx reads with <c>-lm</c>. Smoothing is interpolated Witten-Bell: for a history <c>h</c> with
/// <c>C(h)</c> tokens following it and <c>T(h)</c> distinct following words,
/// <c>P(w|h) = (c(h w) + T(h)·P(w|h')) / (C(h) + T(h))</c> where <c>h'</c> drops the oldest word; unigrams interpolate with
/// the uniform distribution over the vocabulary. Unseen words after <c>h</c> keep exactly the lower-order mass, so the
/// back-off weight written for <c>h</c> is <c>T(h) / (C(h) + T(h))</c> and the model is normalized.
/// </summary>
/// <remarks>
/// Witten-Bell smoothing as stated in S. F. Chen and J. Goodman, "An Empirical Study of Smoothing Techniques for
/// Language Modeling", Harvard TR-10-98 (1998), §2.5, https://dash.harvard.edu/handle/1/25104739 ; ARPA format as
/// documented by CMUSphinx, https://cmusphinx.github.io/wiki/arpaformat/ (log10 probabilities, back-off weights after
/// each n-gram that starts a longer one, <c>&lt;s&gt;</c> given -99 as it is never predicted).
/// </remarks>
public sealed class ArpaLanguageModelBuilder
{
    /// <summary>Sentence-start marker.</summary>
    public const string SentenceStart = "<s>";

    /// <summary>Sentence-end marker.</summary>
    public const string SentenceEnd = "</s>";

    private readonly int _order;
    private readonly Dictionary<string, int>[] _counts;

    /// <summary>Creates an empty builder.</summary>
    /// <param name="order">N-gram order, 1 to 3.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is not 1, 2 or 3.</exception>
    public ArpaLanguageModelBuilder(int order = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 3);
        _order = order;
        _counts = Enumerable.Range(0, order).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    }

    /// <summary>Words seen so far (without the sentence markers).</summary>
    public IEnumerable<string> Vocabulary => _counts[0].Keys.Where(w => w is not SentenceStart and not SentenceEnd);

    /// <summary>Adds one sentence.</summary>
    /// <param name="words">Its words, already normalized (lower case, no punctuation); empty sentences are ignored.</param>
    public void Add(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            return;
        }

        var tokens = new string[words.Count + 2];
        tokens[0] = SentenceStart;
        for (int i = 0; i < words.Count; i++)
        {
            tokens[i + 1] = words[i];
        }

        tokens[^1] = SentenceEnd;
        for (int i = 0; i < tokens.Length; i++)
        {
            for (int n = 1; n <= _order && i + n <= tokens.Length; n++)
            {
                var key = string.Join(' ', tokens, i, n);
                _counts[n - 1][key] = _counts[n - 1].GetValueOrDefault(key) + 1;
            }
        }
    }

    /// <summary>Writes the model in ARPA format.</summary>
    /// <param name="writer">Destination (text).</param>
    /// <exception cref="InvalidOperationException">No sentence was added.</exception>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_counts[0].Count == 0)
        {
            throw new InvalidOperationException("The corpus is empty.");
        }

        // History statistics: C(h) = tokens after h, T(h) = distinct words after h, for every history of length 1..order-1.
        var histories = new Dictionary<string, (int Tokens, int Types)>(StringComparer.Ordinal);
        for (int n = 2; n <= _order; n++)
        {
            foreach (var (ngram, count) in _counts[n - 1])
            {
                var history = ngram[..ngram.LastIndexOf(' ')];
                var (hTokens, hTypes) = histories.GetValueOrDefault(history);
                histories[history] = (hTokens + count, hTypes + 1);
            }
        }

        // Unigrams: <s> is a context only; its count is not part of the predicted tokens.
        var predicted = _counts[0].Where(kv => kv.Key != SentenceStart).ToList();
        double total = predicted.Sum(kv => kv.Value);
        double types = predicted.Count;
        var probabilities = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (word, count) in predicted)
        {
            probabilities[word] = (count + 1.0) / (total + types); // Witten-Bell against uniform: T(1/|V|) = 1 as every word was seen
        }

        for (int n = 2; n <= _order; n++)
        {
            foreach (var (ngram, count) in _counts[n - 1])
            {
                int cut = ngram.LastIndexOf(' ');
                var (hTokens, hTypes) = histories[ngram[..cut]];
                double lower = probabilities[ngram[(ngram.IndexOf(' ') + 1)..]];
                probabilities[ngram] = (count + (hTypes * lower)) / (hTokens + hTypes);
            }
        }

        writer.Write("\\data\\\n");
        for (int n = 1; n <= _order; n++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"ngram {n}={_counts[n - 1].Count}\n"));
        }

        for (int n = 1; n <= _order; n++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\n\\{n}-grams:\n"));
            foreach (var ngram in _counts[n - 1].Keys.Order(StringComparer.Ordinal))
            {
                double logP = ngram == SentenceStart ? -99 : Math.Log10(probabilities[ngram]);
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{logP:0.000000}\t{ngram}"));
                if (n < _order && histories.TryGetValue(ngram, out var h))
                {
                    line.Append(string.Create(CultureInfo.InvariantCulture, $"\t{Math.Log10((double)h.Types / (h.Tokens + h.Types)):0.000000}"));
                }

                writer.Write(line.Append('\n').ToString());
            }
        }

        writer.Write("\n\\end\\\n");
    }

    /// <summary>The model as ARPA text.</summary>
    /// <returns>The whole file.</returns>
    public string ToArpa()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer);
        return writer.ToString();
    }
}
