using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;

namespace Portal.Rag.Chunking;

/// <summary>Sizes for <see cref="Chunker"/>, in tokens of its tokenizer.</summary>
/// <param name="TargetTokens">Most tokens in a chunk, heading included (default 300; at least 32).</param>
/// <param name="OverlapRatio">Share of <paramref name="TargetTokens"/> repeated from the end of one chunk at the start of the next when a section is split (default 0.15; 0 to 0.5).</param>
/// <param name="QuestionAnswerMaxTokens">Most tokens of a question/answer pair kept whole in one chunk (default 600, at least <paramref name="TargetTokens"/>); a longer answer is split and every part repeats the question.</param>
public sealed record ChunkerOptions(int TargetTokens = 300, double OverlapRatio = 0.15, int QuestionAnswerMaxTokens = 600)
{
    /// <summary>Tokens of overlap: <see cref="TargetTokens"/> × <see cref="OverlapRatio"/>, rounded down.</summary>
    public int OverlapTokens => (int)(TargetTokens * OverlapRatio);
}

/// <summary>
/// Cuts extracted documents into retrieval chunks that respect their structure: chunks never span
/// two sections; the heading path is written at the top of every chunk so a chunk read alone says
/// what it is about; a question and its answer stay in one chunk; long sections are split at
/// paragraph boundaries first, then line and sentence boundaries, then between words, and
/// consecutive parts of a section share up to <see cref="ChunkerOptions.OverlapRatio"/> of the
/// target in whole sentences. Token counts use OpenAI's cl100k_base BPE (Microsoft.ML.Tokenizers
/// <see cref="TiktokenTokenizer"/>, https://github.com/openai/tiktoken) unless another tokenizer is given.
/// Never emits an empty chunk. Thread-safe.
/// </summary>
public sealed partial class Chunker : ITextChunker
{
    /// <summary>Separator between heading path elements in <see cref="TextChunk.Heading"/> and the chunk text.</summary>
    public const string HeadingSeparator = " › ";

    private const int ExactCountMargin = 16;

    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    private readonly Tokenizer _tokenizer;
    private readonly ChunkerOptions _options;

    /// <summary>Creates a chunker. Throws <see cref="ArgumentOutOfRangeException"/> for sizes outside the documented ranges.</summary>
    public Chunker(ChunkerOptions? options = null, Tokenizer? tokenizer = null)
    {
        _options = options ?? new ChunkerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TargetTokens, 32, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.QuestionAnswerMaxTokens, _options.TargetTokens, nameof(options));
        if (_options.OverlapRatio is < 0 or > 0.5 || double.IsNaN(_options.OverlapRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.OverlapRatio, "OverlapRatio must be between 0 and 0.5.");
        }

        _tokenizer = tokenizer ?? Cl100k.Value;
    }

    /// <summary>The cl100k_base tokenizer shared by every default chunker (loaded once, on first use).</summary>
    public static Tokenizer DefaultTokenizer => Cl100k.Value;

    /// <summary>The options in force.</summary>
    public ChunkerOptions Options => _options;

    /// <summary>Tokens in <paramref name="text"/> by this chunker's tokenizer.</summary>
    public int CountTokens(string text) => _tokenizer.CountTokens(text);

    /// <summary>Chunks of <paramref name="document"/>, in reading order, ordinals from 0.</summary>
    public IReadOnlyList<TextChunk> Chunk(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<TextChunk>();
        foreach (var section in document.Sections)
        {
            ChunkSection(section, chunks);
        }

        return chunks;
    }

    private void ChunkSection(ExtractedSection section, List<TextChunk> chunks)
    {
        var path = section.HeadingPath.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).ToList();
        var heading = path.Count > 0 ? string.Join(HeadingSeparator, path) : null;
        var headingPrefix = heading is null ? string.Empty : Truncate(heading, _options.TargetTokens / 4) + "\n";
        var body = section.Text.Trim();
        var question = string.IsNullOrWhiteSpace(section.Question) ? null : section.Question.Trim();

        if (question is not null)
        {
            var whole = headingPrefix + question + (body.Length > 0 ? "\n" + body : string.Empty);
            var count = _tokenizer.CountTokens(whole);
            if (count <= _options.QuestionAnswerMaxTokens || body.Length == 0)
            {
                Add(chunks, whole, heading, count, section.PageNumber, question, body.Length > 0 ? body : question);
                return;
            }

            // A long answer: every part carries the question so no part is an answer without its question.
            var prefix = headingPrefix + Truncate(question, _options.TargetTokens / 4) + "\n";
            Pack(body, prefix, _options.TargetTokens, chunks, heading, section.PageNumber, question);
            return;
        }

        if (body.Length > 0)
        {
            Pack(body, headingPrefix, _options.TargetTokens, chunks, heading, section.PageNumber, null);
        }
    }

    private void Pack(string body, string prefix, int limit, List<TextChunk> chunks, string? heading, int? page, string? question)
    {
        var overlapTokens = _options.OverlapTokens;
        var prefixTokens = _tokenizer.CountTokens(prefix);
        var pieceLimit = Math.Max(8, limit - prefixTokens - overlapTokens - 2);
        var units = Units(body, pieceLimit);
        var current = new List<Unit>();
        var overlapCount = 0;

        foreach (var unit in units)
        {
            while (true)
            {
                current.Add(unit);
                if (Fits(prefix, current, limit, prefixTokens))
                {
                    break;
                }

                current.RemoveAt(current.Count - 1);
                if (current.Count == overlapCount)
                {
                    if (overlapCount == 0)
                    {
                        current.Add(unit);
                        break;
                    }

                    current.Clear();
                    overlapCount = 0;
                    continue;
                }

                var cut = BestCut(current, overlapCount, limit - prefixTokens);
                var emitted = current[..cut];
                Emit(chunks, prefix, emitted, heading, page, question);
                var overlap = OverlapTail(emitted, overlapCount, overlapTokens);
                current = [.. overlap, .. current[cut..]];
                overlapCount = overlap.Count;
            }
        }

        if (current.Count > overlapCount)
        {
            Emit(chunks, prefix, current, heading, page, question);
        }
    }

    /// <summary>
    /// Where to end the chunk: the last paragraph start past half the budget, else the last line
    /// start past half, else after every unit (a sentence boundary).
    /// </summary>
    private static int BestCut(List<Unit> current, int overlapCount, int budget)
    {
        foreach (var boundary in new[] { Boundary.Paragraph, Boundary.Line })
        {
            var tokens = 0;
            var best = -1;
            for (var k = 0; k < current.Count; k++)
            {
                if (k > overlapCount && current[k].Before <= boundary && tokens >= budget / 2)
                {
                    best = k;
                }

                tokens += current[k].Tokens;
            }

            if (best > 0)
            {
                return best;
            }
        }

        return current.Count;
    }

    /// <summary>The longest run of whole units at the end of <paramref name="emitted"/> with at most <paramref name="budget"/> tokens, never all its new units.</summary>
    private static List<Unit> OverlapTail(List<Unit> emitted, int overlapCount, int budget)
    {
        var tail = new List<Unit>();
        var tokens = 0;
        for (var i = emitted.Count - 1; i > overlapCount; i--)
        {
            if (tokens + emitted[i].Tokens > budget)
            {
                break;
            }

            tokens += emitted[i].Tokens;
            tail.Insert(0, emitted[i]);
        }

        return tail;
    }

    /// <summary>
    /// True when prefix and units fit in <paramref name="limit"/> tokens. BPE pre-tokenisation splits at
    /// whitespace, so the sum of the parts' tokens plus one per separator is a close estimate; the exact
    /// count is taken only when that estimate comes within <see cref="ExactCountMargin"/> of the limit.
    /// </summary>
    private bool Fits(string prefix, List<Unit> units, int limit, int prefixTokens)
    {
        var estimate = prefixTokens + units.Count;
        foreach (var unit in units)
        {
            estimate += unit.Tokens;
        }

        return estimate <= limit - ExactCountMargin || _tokenizer.CountTokens(prefix + Join(units)) <= limit;
    }

    private void Emit(List<TextChunk> chunks, string prefix, List<Unit> units, string? heading, int? page, string? question)
    {
        var body = Join(units).Trim();
        if (body.Length == 0)
        {
            return;
        }

        var text = prefix + body;
        Add(chunks, text, heading, _tokenizer.CountTokens(text), page, question, body);
    }

    private static void Add(List<TextChunk> chunks, string text, string? heading, int tokens, int? page, string? question, string body)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            chunks.Add(new TextChunk(chunks.Count, text, heading, tokens, page, question, body == text ? null : body));
        }
    }

    private static string Join(List<Unit> units)
    {
        var sb = new StringBuilder();
        foreach (var unit in units)
        {
            if (sb.Length > 0)
            {
                sb.Append(unit.Before switch { Boundary.Paragraph => "\n\n", Boundary.Line => "\n", _ => " " });
            }

            sb.Append(unit.Text);
        }

        return sb.ToString();
    }

    /// <summary>Paragraphs → lines → sentences; a sentence longer than <paramref name="maxTokens"/> is cut between words.</summary>
    private List<Unit> Units(string body, int maxTokens)
    {
        var units = new List<Unit>();
        foreach (var paragraph in ParagraphBreak().Split(body))
        {
            var before = Boundary.Paragraph;
            foreach (var line in paragraph.Split('\n'))
            {
                foreach (var sentence in SentenceBreak().Split(line.Trim()))
                {
                    var s = sentence.Trim();
                    if (s.Length == 0)
                    {
                        continue;
                    }

                    foreach (var piece in SplitByTokens(s, maxTokens))
                    {
                        units.Add(new Unit(piece.Text, before, piece.Tokens));
                        before = Boundary.Sentence;
                    }
                }

                before = units.Count > 0 && before == Boundary.Sentence ? Boundary.Line : before;
            }
        }

        return units;
    }

    private IEnumerable<(string Text, int Tokens)> SplitByTokens(string text, int maxTokens)
    {
        var remaining = text;
        while (remaining.Length > 0)
        {
            var tokens = _tokenizer.CountTokens(remaining);
            if (tokens <= maxTokens)
            {
                yield return (remaining, tokens);
                yield break;
            }

            var index = _tokenizer.GetIndexByTokenCount(remaining, maxTokens, out _, out _);
            var space = remaining.LastIndexOf(' ', Math.Max(0, index - 1), Math.Max(0, index - 1));
            var cut = space > index / 2 ? space : Math.Max(1, index);
            var piece = remaining[..cut].Trim();
            yield return (piece, _tokenizer.CountTokens(piece));
            remaining = remaining[cut..].TrimStart();
        }
    }

    private string Truncate(string text, int maxTokens)
    {
        if (_tokenizer.CountTokens(text) <= maxTokens)
        {
            return text;
        }

        var index = _tokenizer.GetIndexByTokenCount(text, maxTokens - 1, out _, out _);
        return text[..index].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"(?<=[.!?…][""'”’)\]]*)\s+(?=[\p{Lu}\p{N}""'“‘(\[])")]
    private static partial Regex SentenceBreak();

    private enum Boundary
    {
        Paragraph,
        Line,
        Sentence,
    }

    private sealed record Unit(string Text, Boundary Before, int Tokens);
}
