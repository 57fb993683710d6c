using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Data.Entities;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>A typed FAQ pair of an eval business.</summary>
public sealed record EvalFaq(string Id, string Question, string Answer);

/// <summary>One passage of an eval document: the unit a question can be labelled with. A text "Q: …\nA: …" is a question/answer pair inside the document.</summary>
public sealed record EvalPassage(string Id, string Heading, string Text);

/// <summary>A document of an eval business, uploaded as Markdown through the real upload and indexing job.</summary>
public sealed record EvalDocument(string Id, string Title, IReadOnlyList<EvalPassage> Passages)
{
    /// <summary>The document as the owner would upload it: "# Title", then "## Heading" and the text of each passage.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder().Append("# ").Append(Title).Append("\n\n");
        foreach (var passage in Passages)
        {
            sb.Append("## ").Append(passage.Heading).Append("\n\n").Append(passage.Text).Append("\n\n");
        }

        return sb.ToString();
    }
}

/// <summary>A caller question with the id of the FAQ or passage that answers it (null: nothing does, "I don't know" is right).</summary>
public sealed record EvalQuestion(string Text, string? Expected, string Style);

/// <summary>
/// One business of the retrieval eval (<c>Knowledge/EvalSets/*.json</c>, shared with Portal.Rag.Tests' set checks): its FAQs,
/// documents and caller questions labelled with unit ids. <see cref="FaqFile"/> set: the FAQs are uploaded as that CSV file
/// (question,answer columns) through the extractor and chunker instead of being typed in, so spreadsheet Q&amp;A rows are
/// evaluated too.
/// </summary>
public sealed partial record RetrievalEvalSet(
    string Id,
    string Name,
    string Industry,
    IReadOnlyList<EvalFaq> Faqs,
    IReadOnlyList<EvalDocument> Documents,
    IReadOnlyList<EvalQuestion> Questions,
    string? FaqFile = null)
{
    /// <summary>The tenant industry to create the business under (the label's words matched to <see cref="Portal.Data.Entities.Industry"/>; Other when none fits).</summary>
    public Industry TenantIndustry =>
        Enum.TryParse<Industry>(Industry.Replace(" ", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) ? parsed
        : Industry.Contains("salon", StringComparison.OrdinalIgnoreCase) ? Portal.Data.Entities.Industry.Salon
        : Portal.Data.Entities.Industry.Other;

    /// <summary>The FAQs as a CSV file (RFC 4180: every field quoted, quotes doubled), header "question,answer".</summary>
    public byte[] FaqCsv()
    {
        var sb = new StringBuilder("question,answer\r\n");
        foreach (var faq in Faqs)
        {
            sb.Append(Quote(faq.Question)).Append(',').Append(Quote(faq.Answer)).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());

        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The id of the FAQ or passage a retrieved text (a hit's quotable text: an answer or a passage) comes from: the unit
    /// whose answer (FAQ answer, passage text, or the answer of a "Q: … A: …" passage) it contains, whitespace collapsed;
    /// the earliest in the text wins. Null when none.
    /// </summary>
    public string? IdOf(string retrievedText)
    {
        var text = Collapse(retrievedText);
        string? best = null;
        var bestIndex = int.MaxValue;
        var units = Faqs.Select(f => (f.Id, f.Answer)).Concat(Documents.SelectMany(d => d.Passages).Select(p => (p.Id, Answer: QuestionPrefix().Replace(p.Text, ""))));
        foreach (var (id, answer) in units)
        {
            var index = text.IndexOf(Collapse(answer), StringComparison.Ordinal);
            if (index >= 0 && index < bestIndex)
            {
                (best, bestIndex) = (id, index);
            }
        }

        return best;
    }

    /// <summary>Every set under <c>Knowledge/EvalSets</c> next to the test assembly, in file-name order.</summary>
    public static IReadOnlyList<RetrievalEvalSet> LoadAll()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var folder = Path.Combine(AppContext.BaseDirectory, "Knowledge", "EvalSets");
        return [.. Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(file =>
            JsonSerializer.Deserialize<RetrievalEvalSet>(File.ReadAllText(file), options)
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file} is not an eval set.")))];
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\s*Q:[^\n]*\n\s*A:\s*")]
    private static partial Regex QuestionPrefix();
}
