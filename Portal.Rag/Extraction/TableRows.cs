namespace Portal.Rag.Extraction;

/// <summary>
/// Emits a table (spreadsheet sheet, CSV file, Word table) into a <see cref="SectionBuilder"/>:
/// when the header names a question column and an answer column each row becomes a question/answer
/// section; otherwise each row becomes one line "Header: value | Header: value" so a row read alone
/// still says what its values are.
/// </summary>
public static class TableRows
{
    private static readonly HashSet<string> QuestionHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "q", "question", "questions", "faq", "faqs", "query", "queries", "customer question", "frequently asked question",
        "frequently asked questions", "question text", "prompt", "ask", "asked",
    };

    private static readonly HashSet<string> AnswerHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "answer", "answers", "response", "responses", "reply", "replies", "our answer", "answer text", "solution",
    };

    /// <summary>Finds the question and answer columns of <paramref name="header"/> by name (case-insensitive), or null when either is missing.</summary>
    public static (int Question, int Answer)? FindQuestionAnswerColumns(IReadOnlyList<string> header)
    {
        int q = -1, a = -1;
        for (var i = 0; i < header.Count; i++)
        {
            var name = NormalizeHeader(header[i]);
            if (q < 0 && (QuestionHeaders.Contains(name) || name.Contains("question", StringComparison.OrdinalIgnoreCase)))
            {
                q = i;
            }
            else if (a < 0 && (AnswerHeaders.Contains(name) || name.Contains("answer", StringComparison.OrdinalIgnoreCase)))
            {
                a = i;
            }
        }

        return q >= 0 && a >= 0 && q != a ? (q, a) : null;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> (first row the header) to <paramref name="builder"/>. At most
    /// <paramref name="maxRows"/> data rows: more throws <see cref="DocumentExtractionException"/>.
    /// Returns the number of data rows read.
    /// </summary>
    public static int Emit(SectionBuilder builder, IEnumerable<IReadOnlyList<string>> rows, int maxRows, string fileName, int rowsSoFar = 0)
    {
        using var e = rows.GetEnumerator();
        IReadOnlyList<string>? header = null;
        while (e.MoveNext())
        {
            if (e.Current.Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                header = e.Current;
                break;
            }
        }

        if (header is null)
        {
            return 0;
        }

        var qa = FindQuestionAnswerColumns(header);
        var count = 0;
        while (e.MoveNext())
        {
            var row = e.Current;
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (++count + rowsSoFar > maxRows)
            {
                throw new DocumentExtractionException($"'{Path.GetFileName(fileName)}' has more than {maxRows} rows. Split it into smaller files.");
            }

            if (qa is { } cols)
            {
                builder.QuestionAnswer(Cell(row, cols.Question), Cell(row, cols.Answer));
            }
            else
            {
                var cells = new List<string>();
                for (var i = 0; i < row.Count; i++)
                {
                    var value = row[i].Trim();
                    if (value.Length == 0)
                    {
                        continue;
                    }

                    var name = i < header.Count ? header[i].Trim() : string.Empty;
                    cells.Add(name.Length > 0 ? $"{name}: {value}" : value);
                }

                builder.Paragraph(string.Join(" | ", cells), detectQuestion: false);
            }
        }

        if (count == 0 && qa is null)
        {
            // A sheet with a single row is content, not a header.
            builder.Paragraph(string.Join(" | ", header.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim())), detectQuestion: false);
        }

        return count;
    }

    private static string Cell(IReadOnlyList<string> row, int index) => index < row.Count ? row[index] : string.Empty;

    private static string NormalizeHeader(string header) =>
        new string([.. header.Trim().TrimEnd(':', '?', '.', '*').Where(c => !char.IsControl(c))]).Replace('_', ' ').Trim();
}
