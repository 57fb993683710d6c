using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Portal.Rag.Extraction;

/// <summary>
/// Excel workbooks (.xlsx, SpreadsheetML: ECMA-376 Part 1 §18) read with the Open XML SDK: every
/// non-empty sheet under a heading with its name; a sheet whose header names question and answer
/// columns gives question/answer sections, any other sheet gives its rows as "Header: value" lines
/// (see <see cref="TableRows"/>). Shared strings, inline strings, booleans and numbers are read;
/// numbers with a built-in date format become ISO dates. The row limit counts rows across sheets.
/// </summary>
/// <remarks>
/// REVIEW: the brief named ClosedXML 0.95.4 (the only version served here); it is built against
/// Open XML SDK 2.x and throws InvalidProgramException from XLWorkbook's type initializer next to
/// DocumentFormat.OpenXml 3.3.0 on .NET 10, so the workbook is read with the SDK directly.
/// </remarks>
public sealed class XlsxExtractor : IDocumentExtractor
{
    /// <inheritdoc />
    public bool Supports(string extension) => string.Equals(extension, ".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        return Extract(bytes, fileName, limits);
    }

    /// <summary>Extracts from the whole file in memory. Throws <see cref="DocumentExtractionException"/> for corrupt, empty or over-long workbooks.</summary>
    /// <remarks>The package is first checked by <see cref="ArchiveGuard"/> (entry count, uncompressed size).</remarks>
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
            using var document = SpreadsheetDocument.Open(stream, false, new DocumentFormat.OpenXml.Packaging.OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes });
            var workbookPart = document.WorkbookPart ?? throw new DocumentExtractionException($"'{name}' has no workbook; it is not an Excel file.");
            var strings = workbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var dateStyles = DateStyleIndexes(workbookPart.WorkbookStylesPart?.Stylesheet);
            var rows = 0;
            foreach (var sheet in workbookPart.Workbook?.Sheets?.Elements<Sheet>() ?? [])
            {
                if (sheet.Id?.Value is not { } id || workbookPart.GetPartById(id) is not WorksheetPart part)
                {
                    continue;
                }

                var table = ReadRows(part, strings, dateStyles);
                if (table.Count == 0)
                {
                    continue;
                }

                builder.Heading(1, sheet.Name?.Value ?? "Sheet");
                rows += TableRows.Emit(builder, table, limits.MaxRows, fileName, rows);
            }

            title = document.PackageProperties.Title;
        }
        catch (DocumentExtractionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new DocumentExtractionException($"'{name}' is damaged or is not an Excel workbook (.xlsx). Open it in Excel and save it again.", ex);
        }

        var sections = builder.Build();
        if (sections.Count == 0)
        {
            throw new DocumentExtractionException($"'{name}' is empty.");
        }

        return new ExtractedDocument(string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(fileName) : title.Trim(), sections);
    }

    /// <summary>The sheet's rows as cell texts, columns placed by their reference ("C7" → third column), gaps filled with "".</summary>
    private static List<IReadOnlyList<string>> ReadRows(WorksheetPart part, List<string> strings, HashSet<uint> dateStyles)
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var row in part.Worksheet?.GetFirstChild<SheetData>()?.Elements<Row>() ?? [])
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                cells.Add(CellText(cell, strings, dateStyles));
            }

            if (cells.Any(c => c.Length > 0))
            {
                result.Add(cells);
            }
        }

        return result;
    }

    private static string CellText(Cell cell, List<string> strings, HashSet<uint> dateStyles)
    {
        var raw = cell.CellValue?.Text ?? string.Empty;
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < strings.Count ? strings[i].Trim() : string.Empty;
        }

        if (type == CellValues.InlineString)
        {
            return (cell.InlineString?.InnerText ?? raw).Trim();
        }

        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "TRUE" : "FALSE";
        }

        if ((type is null || type == CellValues.Number) && cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466)
        {
            return DateTime.FromOADate(serial).ToString(serial % 1 == 0 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }

        return raw.Trim();
    }

    /// <summary>Cell style indexes whose number format is a built-in date/time format (ECMA-376 §18.8.30: ids 14–22, 45–47).</summary>
    private static HashSet<uint> DateStyleIndexes(Stylesheet? stylesheet)
    {
        var result = new HashSet<uint>();
        var formats = stylesheet?.CellFormats?.Elements<CellFormat>().ToList() ?? [];
        for (var i = 0; i < formats.Count; i++)
        {
            if (formats[i].NumberFormatId?.Value is { } id && (id is >= 14 and <= 22 || id is >= 45 and <= 47))
            {
                result.Add((uint)i);
            }
        }

        return result;
    }

    /// <summary>0-based column of an A1 reference: "A1" → 0, "AB12" → 27.</summary>
    private static int ColumnIndex(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return Math.Max(0, column - 1);
    }
}
