using Portal.Domain.Entities;
using Portal.Rag.Chunking;
using Portal.Rag.Extraction;

namespace Portal.Rag.Ingestion;

/// <summary>
/// Stand-in <see cref="ITextChunker"/> until the token-bounded chunker is merged: a question/answer
/// section is one chunk; consecutive text sections under the same heading are packed up to
/// <see cref="MaxChars"/> characters (a longer paragraph is cut at sentence ends). Token counts are
/// estimated with <see cref="KnowledgeChunk.EstimateTokens"/>.
/// </summary>
public sealed class ParagraphChunker : ITextChunker
{
    /// <summary>Longest chunk body, characters.</summary>
    public const int MaxChars = 700;

    /// <inheritdoc />
    public IReadOnlyList<TextChunk> Chunk(ExtractedDocument document)
    {
        var chunks = new List<TextChunk>();
        string? heading = null;
        int? page = null;
        var current = "";

        void Flush()
        {
            if (current.Length > 0)
            {
                chunks.Add(new TextChunk(chunks.Count, current, heading, KnowledgeChunk.EstimateTokens(current), page));
                current = "";
            }
        }

        foreach (var section in document.Sections)
        {
            var sectionHeading = section.HeadingPath.Count == 0 ? null : string.Join(" › ", section.HeadingPath);
            if (sectionHeading != heading || section.PageNumber != page || section.Question is not null)
            {
                Flush();
                heading = sectionHeading;
                page = section.PageNumber;
            }

            if (section.Question is { } question)
            {
                var body = section.Text.Trim();
                chunks.Add(new TextChunk(chunks.Count, body, heading, KnowledgeChunk.EstimateTokens(question + " " + body), page, question));
                continue;
            }

            foreach (var piece in Pieces(section.Text.Trim()))
            {
                if (current.Length > 0 && current.Length + piece.Length + 1 > MaxChars)
                {
                    Flush();
                }

                current = current.Length == 0 ? piece : $"{current}\n{piece}";
            }
        }

        Flush();
        return chunks;
    }

    private static IEnumerable<string> Pieces(string text)
    {
        while (text.Length > MaxChars)
        {
            var cut = text.LastIndexOf(". ", MaxChars, StringComparison.Ordinal);
            cut = cut < MaxChars / 3 ? text.LastIndexOf(' ', MaxChars) : cut + 1;
            cut = cut <= 0 ? MaxChars : cut;
            yield return text[..cut].Trim();
            text = text[cut..].Trim();
        }

        if (text.Length > 0)
        {
            yield return text;
        }
    }
}
