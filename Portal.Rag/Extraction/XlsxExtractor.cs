using System.Globalization;
using ClosedXML.Excel;

namespace Portal.Rag.Extraction;

/// <summary>
/// Excel workbooks (.xlsx) read with ClosedXML: every non-empty sheet under a heading with its
/// name; a sheet whose header names question and answer columns gives question/answer sections,
/// any other sheet gives its rows as "Header: value" lines (see <see cref="TableRows"/>). Cells are
/// read as the text Excel shows. The row limit counts rows across all sheets.
/// </summary>
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
    public static ExtractedDocument Extract(byte[] bytes, string fileName, ExtractionLimits limits)
    {
        var name = Path.GetFileName(fileName);
        var builder = new SectionBuilder();
        string? title = null;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var workbook = new XLWorkbook(stream);
            title = workbook.Properties.Title;
            var rows = 0;
            foreach (var sheet in workbook.Worksheets)
            {
                var used = sheet.RangeUsed();
                if (used is null)
                {
                    continue;
                }

                builder.Heading(1, sheet.Name);
                rows += TableRows.Emit(builder, ReadRows(used), limits.MaxRows, fileName, rows);
            }
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

    private static IEnumerable<IReadOnlyList<string>> ReadRows(IXLRange used)
    {
        var columns = used.ColumnCount();
        foreach (var row in used.Rows())
        {
            var cells = new string[columns];
            for (var c = 1; c <= columns; c++)
            {
                var cell = row.Cell(c);
                cells[c - 1] = cell.IsEmpty() ? string.Empty : Convert.ToString(cell.GetFormattedString(), CultureInfo.InvariantCulture) ?? string.Empty;
            }

            yield return cells;
        }
    }
}
