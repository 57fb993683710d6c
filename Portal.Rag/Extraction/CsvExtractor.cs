using CsvHelper;

namespace Portal.Rag.Extraction;

/// <summary>
/// CSV files (RFC 4180, separator detected by CsvHelper: comma, semicolon, tab or pipe) read with CsvHelper. A header
/// naming question and answer columns gives one question/answer section per row; any other table
/// gives its rows as "Header: value" lines (see <see cref="TableRows"/>).
/// </summary>
public sealed class CsvExtractor : IDocumentExtractor
{
    /// <inheritdoc />
    public bool Supports(string extension) => string.Equals(extension, ".csv", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        return Extract(bytes, fileName, limits);
    }

    /// <summary>Extracts from the whole file in memory. Throws <see cref="DocumentExtractionException"/> for empty, binary, malformed or over-long files.</summary>
    public static ExtractedDocument Extract(byte[] bytes, string fileName, ExtractionLimits limits)
    {
        var text = TextDecoding.Decode(bytes, fileName);
        var name = Path.GetFileName(fileName);
        var builder = new SectionBuilder();
        var options = new CsvReaderOptions { HasHeader = false, TrimWhitespace = true };
        try
        {
            using var csv = CsvReader.FromText(text, options);
            TableRows.Emit(builder, ReadRows(csv), limits.MaxRows, fileName);
        }
        catch (CsvFormatException ex)
        {
            throw new DocumentExtractionException($"'{name}' is not a readable CSV file: {ex.Message.Split('\n')[0]}", ex);
        }

        var sections = builder.Build();
        if (sections.Count == 0)
        {
            throw new DocumentExtractionException($"'{name}' is empty.");
        }

        return new ExtractedDocument(Path.GetFileNameWithoutExtension(fileName), sections);
    }

    private static IEnumerable<IReadOnlyList<string>> ReadRows(CsvReader csv)
    {
        while (csv.Read())
        {
            var row = new string[csv.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = csv.GetString(i);
            }

            yield return row;
        }
    }
}
