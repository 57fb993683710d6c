using System.Text.RegularExpressions;

namespace Portal.Rag.Extraction;

/// <summary>
/// Plain text and Markdown (.txt, .md, .markdown). Markdown headings (ATX "# Title" and setext
/// "Title\n====") become the heading path (CommonMark 0.31 §4.2–4.3, https://spec.commonmark.org/0.31.2/);
/// FAQ shapes become question/answer sections: "Q: …" / "A: …" (also "Question:"/"Answer:"),
/// a bold line "**Question?**" followed by its answer, and a heading ending in "?".
/// Emphasis markers and link syntax are removed from the text; the words are kept.
/// </summary>
public sealed partial class TextExtractor : IDocumentExtractor
{
    /// <summary>Extensions read: .txt, .md, .markdown.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".txt", ".md", ".markdown"];

    /// <inheritdoc />
    public bool Supports(string extension) => Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        return Extract(TextDecoding.Decode(bytes, fileName), fileName);
    }

    /// <summary>Extracts already-decoded text. Throws <see cref="DocumentExtractionException"/> when it holds no words.</summary>
    public static ExtractedDocument Extract(string text, string fileName)
    {
        var builder = new SectionBuilder();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var paragraph = new List<string>();
        string? pendingQuestion = null;
        var inFence = false;

        void FlushParagraph()
        {
            if (paragraph.Count == 0)
            {
                return;
            }

            var joined = string.Join("\n", paragraph);
            paragraph.Clear();
            if (pendingQuestion is not null)
            {
                builder.QuestionAnswer(pendingQuestion, joined);
                pendingQuestion = null;
                return;
            }

            builder.Paragraph(joined);
        }

        void FlushQuestion()
        {
            if (pendingQuestion is not null && paragraph.Count == 0)
            {
                builder.Paragraph(pendingQuestion, detectQuestion: false);
                pendingQuestion = null;
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (FenceLine().IsMatch(line))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                paragraph.Add(line);
                continue;
            }

            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                // A blank line between "Q:" and its "A:" keeps the pair together.
                if (pendingQuestion is not null && paragraph.Count == 0)
                {
                    continue;
                }

                FlushParagraph();
                continue;
            }

            var atx = AtxHeading().Match(line);
            if (atx.Success)
            {
                FlushParagraph();
                FlushQuestion();
                builder.Heading(atx.Groups[1].Length, Inline(atx.Groups[2].Value));
                continue;
            }

            if (paragraph.Count == 1 && pendingQuestion is null && SetextUnderline().IsMatch(trimmed))
            {
                var heading = paragraph[0];
                paragraph.Clear();
                builder.Heading(trimmed[0] == '=' ? 1 : 2, heading);
                continue;
            }

            if (ThematicBreak().IsMatch(trimmed))
            {
                FlushParagraph();
                continue;
            }

            var q = QuestionPrefix().Match(trimmed);
            if (q.Success)
            {
                FlushParagraph();
                FlushQuestion();
                pendingQuestion = Inline(q.Groups[1].Value);
                continue;
            }

            var a = AnswerPrefix().Match(trimmed);
            if (a.Success && pendingQuestion is not null)
            {
                paragraph.Add(Inline(a.Groups[1].Value));
                continue;
            }

            var bold = BoldQuestion().Match(trimmed);
            if (bold.Success)
            {
                FlushParagraph();
                FlushQuestion();
                pendingQuestion = Inline(bold.Groups[1].Value);
                continue;
            }

            paragraph.Add(Inline(ListMarker().Replace(trimmed, string.Empty)));
        }

        FlushParagraph();
        FlushQuestion();
        var sections = builder.Build();
        if (sections.Count == 0)
        {
            throw new DocumentExtractionException($"'{Path.GetFileName(fileName)}' is empty.");
        }

        var title = builder.FirstHeading ?? Path.GetFileNameWithoutExtension(fileName);
        return new ExtractedDocument(title, sections);
    }

    /// <summary>Removes Markdown inline syntax: emphasis markers, code ticks, links and images (their words kept).</summary>
    public static string Inline(string text)
    {
        var s = Image().Replace(text, "$1");
        s = Link().Replace(s, "$1");
        s = Emphasis().Replace(s, "$2");
        return s.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
    }

    [GeneratedRegex(@"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^(=+|-+)$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")]
    private static partial Regex ThematicBreak();

    [GeneratedRegex(@"^ {0,3}(```|~~~)")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"^(?:\*\*|__)?(?:Q|Question)(?:\*\*|__)?\s*[:.)]\s*(?:\*\*|__)?(.+?)(?:\*\*|__)?$", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionPrefix();

    [GeneratedRegex(@"^(?:\*\*|__)?(?:A|Answer)(?:\*\*|__)?\s*[:.)]\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerPrefix();

    [GeneratedRegex(@"^(?:[-*+][ \t]+)?(?:\*\*|__)(.+\?)(?:\*\*|__)$")]
    private static partial Regex BoldQuestion();

    [GeneratedRegex(@"^(?:[-*+]|\d{1,3}[.)])[ \t]+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*)(\S(?:.*?\S)?)\1")]
    private static partial Regex Emphasis();
}
