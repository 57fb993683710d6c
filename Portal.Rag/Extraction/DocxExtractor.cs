using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Portal.Rag.Extraction;

/// <summary>
/// Word documents (.docx) read with the Open XML SDK (ECMA-376 Part 1 §17). Paragraphs styled
/// "heading 1".."heading 9" (or carrying an outline level) build the heading path; tables give
/// question/answer sections when they have a question and an answer column (by header name, or two
/// columns whose first cells end in "?"), otherwise one "cell | cell" line per row.
/// </summary>
public sealed class DocxExtractor : IDocumentExtractor
{
    /// <inheritdoc />
    public bool Supports(string extension) => string.Equals(extension, ".docx", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        return Extract(bytes, fileName, limits);
    }

    /// <summary>Extracts from the whole file in memory with the default <see cref="ExtractionLimits"/>.</summary>
    public static ExtractedDocument Extract(byte[] bytes, string fileName) => Extract(bytes, fileName, new ExtractionLimits());

    /// <summary>
    /// Extracts from the whole file in memory. Throws <see cref="DocumentExtractionException"/> for corrupt or empty documents,
    /// and for packages over the entry, uncompressed-size or text limits of <paramref name="limits"/> (checked by
    /// <see cref="ArchiveGuard"/> before the package is parsed).
    /// </summary>
    public static ExtractedDocument Extract(byte[] bytes, string fileName, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var name = Path.GetFileName(fileName);
        ArchiveGuard.EnsureWithinLimits(bytes, fileName, limits);
        var builder = new SectionBuilder();
        string? title;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = WordprocessingDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes });
            var main = document.MainDocumentPart;
            var body = main?.Document?.Body ?? throw new DocumentExtractionException($"'{name}' has no document body; it is not a Word document.");
            var headingLevels = HeadingLevels(main!.StyleDefinitionsPart?.Styles);
            Walk(body, builder, headingLevels);
            title = document.PackageProperties.Title;
        }
        catch (DocumentExtractionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new DocumentExtractionException($"'{name}' is damaged or is not a Word document (.docx). Open it in Word and save it again.", ex);
        }

        var sections = builder.Build();
        if (sections.Count == 0)
        {
            throw new DocumentExtractionException($"'{name}' is empty: it has no text to learn from.");
        }

        var extracted = new ExtractedDocument(string.IsNullOrWhiteSpace(title) ? builder.FirstHeading ?? Path.GetFileNameWithoutExtension(fileName) : title.Trim(), sections);
        limits.EnsureTextWithinLimit(extracted, fileName);
        return extracted;
    }

    private static void Walk(OpenXmlElement container, SectionBuilder builder, IReadOnlyDictionary<string, int> headingLevels)
    {
        foreach (var element in container.ChildElements)
        {
            switch (element)
            {
                case Paragraph paragraph:
                    var text = ParagraphText(paragraph);
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        break;
                    }

                    var level = HeadingLevel(paragraph, headingLevels);
                    if (level is { } l)
                    {
                        builder.Heading(l, text);
                    }
                    else
                    {
                        builder.Paragraph(text);
                    }

                    break;
                case Table table:
                    EmitTable(table, builder);
                    break;
                case SdtBlock or CustomXmlBlock:
                    Walk(element.Descendants<SdtContentBlock>().FirstOrDefault() ?? element, builder, headingLevels);
                    break;
            }
        }
    }

    private static void EmitTable(Table table, SectionBuilder builder)
    {
        var rows = table.Elements<TableRow>()
            .Select(r => (IReadOnlyList<string>)[.. r.Elements<TableCell>().Select(c => string.Join(" ", c.Elements<Paragraph>().Select(ParagraphText).Where(t => t.Length > 0)).Trim())])
            .Where(r => r.Any(c => c.Length > 0))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var qa = TableRows.FindQuestionAnswerColumns(rows[0]);
        var data = rows.Skip(1);
        if (qa is null && rows.All(r => r.Count == 2) && rows.Count(r => r[0].EndsWith('?')) * 2 > rows.Count)
        {
            // Two columns of questions and answers without a header row.
            qa = (0, 1);
            data = rows;
        }

        if (qa is { } cols)
        {
            foreach (var row in data)
            {
                builder.QuestionAnswer(cols.Question < row.Count ? row[cols.Question] : string.Empty, cols.Answer < row.Count ? row[cols.Answer] : string.Empty);
            }

            return;
        }

        builder.Paragraph(string.Join("\n", rows.Select(r => string.Join(" | ", r.Where(c => c.Length > 0)))), detectQuestion: false);
    }

    private static string ParagraphText(Paragraph paragraph)
    {
        var sb = new StringBuilder();
        foreach (var node in paragraph.Descendants())
        {
            switch (node)
            {
                case Text t:
                    sb.Append(t.Text);
                    break;
                case TabChar:
                    sb.Append(' ');
                    break;
                case Break or CarriageReturn:
                    sb.Append('\n');
                    break;
                case NoBreakHyphen:
                    sb.Append('-');
                    break;
            }
        }

        return sb.ToString().Trim();
    }

    private static int? HeadingLevel(Paragraph paragraph, IReadOnlyDictionary<string, int> headingLevels)
    {
        var properties = paragraph.ParagraphProperties;
        if (properties?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
        {
            return outline + 1;
        }

        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        return styleId is not null && headingLevels.TryGetValue(styleId, out var level) ? level : null;
    }

    /// <summary>Style id → heading level for styles named "heading N" / "Title" or carrying an outline level.</summary>
    private static Dictionary<string, int> HeadingLevels(Styles? styles)
    {
        var levels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var style in styles?.Elements<Style>() ?? [])
        {
            var id = style.StyleId?.Value;
            if (id is null || style.Type?.Value != StyleValues.Paragraph)
            {
                continue;
            }

            var name = style.StyleName?.Val?.Value ?? id;
            if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
            {
                levels[id] = outline + 1;
            }
            else if (name.StartsWith("heading ", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(name.AsSpan(8), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 9)
            {
                levels[id] = n;
            }
            else if (string.Equals(name, "Title", StringComparison.OrdinalIgnoreCase))
            {
                levels[id] = 1;
            }
        }

        // Documents without a styles part still use the built-in ids.
        for (var n = 1; n <= 9; n++)
        {
            levels.TryAdd($"Heading{n}", n);
        }

        return levels;
    }
}
