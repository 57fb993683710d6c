namespace Portal.Rag.Extraction;

/// <summary>One structural piece of a document, in reading order.</summary>
/// <param name="HeadingPath">Headings above the section, outermost first ("Prices › Cleaning"); empty at the top.</param>
/// <param name="Text">Body text of the section (paragraphs joined with blank lines); for a question/answer pair, the answer.</param>
/// <param name="Question">The question when the section is a question/answer pair (FAQ, spreadsheet row), else null.</param>
/// <param name="PageNumber">1-based page (PDF) or null when the source has no pages.</param>
public sealed record ExtractedSection(IReadOnlyList<string> HeadingPath, string Text, string? Question = null, int? PageNumber = null);

/// <summary>The text content of one source (file or web page), structure kept, ready for chunking.</summary>
/// <param name="Title">Document title (PDF/DOCX metadata, first heading, HTML title, or the file name).</param>
/// <param name="Sections">Sections in reading order; never empty for a successful extraction.</param>
/// <param name="PageCount">Pages read (PDF), else 1.</param>
/// <param name="SourceUri">Web page address for crawled pages, else null.</param>
public sealed record ExtractedDocument(string Title, IReadOnlyList<ExtractedSection> Sections, int PageCount = 1, Uri? SourceUri = null);

/// <summary>Limits enforced before and while reading a source (configuration <c>Knowledge:Limits</c>).</summary>
/// <param name="MaxBytes">Largest file accepted, bytes (default 20 MiB).</param>
/// <param name="MaxPages">Most PDF pages read (default 500).</param>
/// <param name="MaxRows">Most spreadsheet/CSV rows read (default 5000).</param>
/// <param name="MaxUncompressedBytes">Most bytes a ZIP-based document (DOCX, XLSX) may inflate to, all entries together (default 50 MiB).</param>
/// <param name="MaxArchiveEntries">Most entries a ZIP-based document may hold (default 1000).</param>
/// <param name="MaxTextChars">Most characters of text one source may yield, UTF-16 code units (default 2,000,000).</param>
public sealed record ExtractionLimits(
    long MaxBytes = 20L * 1024 * 1024,
    int MaxPages = 500,
    int MaxRows = 5000,
    long MaxUncompressedBytes = 50L * 1024 * 1024,
    int MaxArchiveEntries = 1000,
    int MaxTextChars = 2_000_000)
{
    /// <summary>
    /// Throws <see cref="DocumentExtractionException"/> when the sections of <paramref name="document"/> hold more than
    /// <see cref="MaxTextChars"/> characters (body, questions and headings counted).
    /// </summary>
    public void EnsureTextWithinLimit(ExtractedDocument document, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        long total = 0;
        foreach (var section in document.Sections)
        {
            total += section.Text.Length + (section.Question?.Length ?? 0);
            if (total > MaxTextChars)
            {
                throw new DocumentExtractionException(
                    $"'{Path.GetFileName(name)}' holds more than {MaxTextChars:N0} characters of text and was not read. Split it into smaller documents.");
            }
        }
    }
}

/// <summary>
/// A source could not be turned into text: corrupt, encrypted, empty, over a limit or of an unsupported type.
/// <see cref="Exception.Message"/> is written for the business owner ("This PDF is password-protected…").
/// </summary>
/// <param name="message">Reason a person understands.</param>
/// <param name="inner">Underlying parser error, for logs.</param>
public sealed class DocumentExtractionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Turns an uploaded file into an <see cref="ExtractedDocument"/>.</summary>
public interface IDocumentExtractor
{
    /// <summary>True when the extractor reads files with this extension (lower case, with the dot: ".pdf").</summary>
    bool Supports(string extension);

    /// <summary>
    /// Reads <paramref name="content"/> (the file <paramref name="fileName"/>) within <paramref name="limits"/>. Throws
    /// <see cref="DocumentExtractionException"/> for a corrupt, encrypted, empty, oversized or unsupported file.
    /// </summary>
    Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken);
}
