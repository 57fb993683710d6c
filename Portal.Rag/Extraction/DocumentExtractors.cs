namespace Portal.Rag.Extraction;

/// <summary>The kinds of file the knowledge base reads.</summary>
public enum DocumentKind
{
    /// <summary>Not a supported kind.</summary>
    Unknown,

    /// <summary>PDF (%PDF- signature).</summary>
    Pdf,

    /// <summary>Word 2007+ (.docx: a ZIP package with word/document.xml).</summary>
    Docx,

    /// <summary>Excel 2007+ (.xlsx: a ZIP package with xl/workbook.xml).</summary>
    Xlsx,

    /// <summary>Comma/semicolon/tab separated values.</summary>
    Csv,

    /// <summary>Plain text or Markdown.</summary>
    Text,

    /// <summary>HTML page.</summary>
    Html,
}

/// <summary>
/// Picks the extractor for an upload. The extension names the expected kind; the first bytes are
/// then checked against that kind's signature (PDF "%PDF-", ZIP "PK\x03\x04" with the Word or
/// Excel part inside, text without NUL bytes), so a renamed file — an .exe called menu.pdf, a Word
/// file called prices.xlsx — is refused with a clear message instead of being half read. Reads at
/// most <see cref="ExtractionLimits.MaxBytes"/> bytes.
/// </summary>
public sealed class DocumentExtractors : IDocumentExtractor
{
    /// <summary>Every extension accepted, for file pickers and messages.</summary>
    public static readonly IReadOnlyList<string> SupportedExtensions = [".pdf", ".docx", ".xlsx", ".csv", ".txt", ".md", ".markdown", ".html", ".htm"];

    /// <inheritdoc />
    public bool Supports(string extension) => KindOfExtension(extension) != DocumentKind.Unknown;

    /// <summary>The kind an extension (".pdf", case-insensitive) names, or <see cref="DocumentKind.Unknown"/>.</summary>
    public static DocumentKind KindOfExtension(string extension) => extension.ToLowerInvariant() switch
    {
        ".pdf" => DocumentKind.Pdf,
        ".docx" => DocumentKind.Docx,
        ".xlsx" => DocumentKind.Xlsx,
        ".csv" => DocumentKind.Csv,
        ".txt" or ".md" or ".markdown" => DocumentKind.Text,
        ".html" or ".htm" => DocumentKind.Html,
        _ => DocumentKind.Unknown,
    };

    /// <summary>
    /// The kind the content shows by its first bytes: <see cref="DocumentKind.Pdf"/>, <see cref="DocumentKind.Docx"/>,
    /// <see cref="DocumentKind.Xlsx"/>, <see cref="DocumentKind.Text"/> for NUL-free content (CSV, Markdown and HTML are all
    /// text), or <see cref="DocumentKind.Unknown"/> for any other binary (images, executables, other archives).
    /// </summary>
    public static DocumentKind Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 5 && bytes[..Math.Min(bytes.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return DocumentKind.Pdf;
        }

        if (bytes.StartsWith("PK\u0003\u0004"u8))
        {
            return SniffPackage(bytes);
        }

        var head = bytes[..Math.Min(bytes.Length, 8192)];
        var utf16 = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        return utf16 || head.IndexOf((byte)0) < 0 ? DocumentKind.Text : DocumentKind.Unknown;
    }

    /// <summary>
    /// An Office package by its parts (ECMA-376 Part 2, Open Packaging Conventions): word/document.xml makes
    /// a Word document, xl/workbook.xml an Excel workbook. A ZIP whose directory cannot be read (a truncated
    /// upload) is judged by the part names in its local file headers (APPNOTE.TXT §4.3.7), so that it reaches
    /// the extractor that explains it is damaged.
    /// </summary>
    private static DocumentKind SniffPackage(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(bytes.ToArray(), writable: false), System.IO.Compression.ZipArchiveMode.Read);
            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return names.Contains("word/document.xml") ? DocumentKind.Docx : names.Contains("xl/workbook.xml") ? DocumentKind.Xlsx : DocumentKind.Unknown;
        }
        catch (InvalidDataException)
        {
            return bytes.IndexOf("word/"u8) >= 0 ? DocumentKind.Docx : bytes.IndexOf("xl/"u8) >= 0 ? DocumentKind.Xlsx : DocumentKind.Unknown;
        }
    }

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var name = Path.GetFileName(fileName);
        var extension = Path.GetExtension(fileName);
        var expected = KindOfExtension(extension);
        if (expected == DocumentKind.Unknown)
        {
            throw new DocumentExtractionException(
                $"'{name}' is not a supported file type. Upload a PDF, Word (.docx), Excel (.xlsx), CSV, text or Markdown file.");
        }

        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        if (bytes.Length == 0)
        {
            throw new DocumentExtractionException($"'{name}' is empty.");
        }

        var actual = Sniff(bytes);
        var matches = actual == expected || (actual == DocumentKind.Text && expected is DocumentKind.Csv or DocumentKind.Html);
        if (!matches)
        {
            throw new DocumentExtractionException(actual == DocumentKind.Unknown
                ? $"'{name}' is not really a {Describe(expected)}: its content is of a type we cannot read."
                : $"'{name}' is not really a {Describe(expected)}: its content is a {Describe(actual)}. Rename it or upload the original file.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var extracted = expected switch
        {
            DocumentKind.Pdf => PdfExtractor.Extract(bytes, fileName, limits, cancellationToken),
            DocumentKind.Docx => DocxExtractor.Extract(bytes, fileName, limits),
            DocumentKind.Xlsx => XlsxExtractor.Extract(bytes, fileName, limits),
            DocumentKind.Csv => CsvExtractor.Extract(bytes, fileName, limits),
            DocumentKind.Html => HtmlExtractor.Extract(HtmlExtractor.Parse(TextDecoding.Decode(bytes, fileName)), Path.GetFileNameWithoutExtension(fileName), null)
                ?? throw new DocumentExtractionException($"'{name}' has no readable text."),
            _ => TextExtractor.Extract(TextDecoding.Decode(bytes, fileName), fileName),
        };
        limits.EnsureTextWithinLimit(extracted, fileName);
        return extracted;
    }

    private static string Describe(DocumentKind kind) => kind switch
    {
        DocumentKind.Pdf => "PDF",
        DocumentKind.Docx => "Word document",
        DocumentKind.Xlsx => "Excel workbook",
        DocumentKind.Csv => "CSV file",
        DocumentKind.Html => "web page",
        DocumentKind.Text => "text file",
        _ => "supported file",
    };
}
