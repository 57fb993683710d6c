using System.Text;
using System.Text.RegularExpressions;
using Portal.Rag.Extraction;

namespace Portal.Rag.Ingestion;

/// <summary>
/// Stand-in <see cref="IDocumentExtractor"/> for .txt and .md until the extraction work's extractors
/// are merged: UTF-8 text only, Markdown headings become the heading path, "Q:/A:" blocks become
/// question/answer sections, other paragraphs become text sections. Enforces
/// <see cref="ExtractionLimits.MaxBytes"/> while reading.
/// </summary>
public sealed partial class PlainTextExtractor : IDocumentExtractor
{
    /// <summary>Extensions read (lower case, with the dot).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".txt", ".md", ".markdown"];

    /// <inheritdoc />
    public bool Supports(string extension) => Extensions.Contains(extension.ToLowerInvariant());

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limits.MaxBytes)
            {
                throw new DocumentExtractionException($"'{fileName}' is larger than {limits.MaxBytes / (1024 * 1024)} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException ex)
        {
            throw new DocumentExtractionException($"'{fileName}' is not readable text (it is not UTF-8).", ex);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentExtractionException($"'{fileName}' looks like a binary file, not text.");
        }

        var sections = Sections(text);
        if (sections.Count == 0)
        {
            throw new DocumentExtractionException($"'{fileName}' is empty.");
        }

        var title = sections.FirstOrDefault(s => s.HeadingPath.Count > 0)?.HeadingPath[0] ?? Path.GetFileNameWithoutExtension(fileName);
        return new ExtractedDocument(title, sections);
    }

    /// <summary>Sections of a text/Markdown document in reading order (headings carried, Q/A pairs kept together).</summary>
    public static List<ExtractedSection> Sections(string text)
    {
        var sections = new List<ExtractedSection>();
        var headings = new List<string>();
        foreach (var raw in BlankLines().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var block = raw.Trim();
            if (block.StartsWith('#'))
            {
                var lines = block.Split('\n', 2);
                var level = lines[0].TakeWhile(c => c == '#').Count();
                while (headings.Count >= level && headings.Count > 0)
                {
                    headings.RemoveAt(headings.Count - 1);
                }

                headings.Add(lines[0].TrimStart('#').Trim());
                block = lines.Length > 1 ? lines[1].Trim() : "";
            }

            if (block.Length == 0)
            {
                continue;
            }

            var qa = QaPair().Match(block);
            sections.Add(qa.Success
                ? new ExtractedSection([.. headings], qa.Groups["a"].Value.Trim(), qa.Groups["q"].Value.Trim())
                : new ExtractedSection([.. headings], block));
        }

        return sections;
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^(?:Q|Question)\s*[:.]\s*(?<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?<a>[\s\S]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex QaPair();
}
