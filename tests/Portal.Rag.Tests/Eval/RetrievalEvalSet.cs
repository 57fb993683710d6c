using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Portal.Rag.Tests.Eval;

/// <summary>A typed FAQ pair of an evaluation business.</summary>
public sealed record EvalFaq(string Id, string Question, string Answer);

/// <summary>One passage of an evaluation document: the unit a question can be labelled with.</summary>
public sealed record EvalPassage(string Id, string Heading, string Text);

/// <summary>An uploaded document of an evaluation business, made of labelled passages.</summary>
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

/// <summary>A caller question as a caller would ask it, with the FAQ or passage id that answers it (null: nothing does).</summary>
/// <param name="Text">The question as said or typed.</param>
/// <param name="Expected">Id of the answering FAQ or passage; null when the knowledge has no answer ("I don't know" is right).</param>
/// <param name="Style">"paraphrase", "semantic" (a paraphrase sharing no content word with its answer), "typo", "speech" (speech-to-text errors, fillers, homophones) or "none" (no answer).</param>
public sealed record EvalQuestion(string Text, string? Expected, string Style)
{
    /// <summary>True when some FAQ or passage answers the question.</summary>
    [JsonIgnore]
    public bool Answerable => Expected is not null;
}

/// <summary>One business of the evaluation set: its FAQs, documents and caller questions.</summary>
public sealed partial record EvalBusiness(string Id, string Name, string Industry, IReadOnlyList<EvalFaq> Faqs, IReadOnlyList<EvalDocument> Documents, IReadOnlyList<EvalQuestion> Questions)
{
    /// <summary>Every labelled unit: FAQs (question and answer) and passages, by id.</summary>
    public IEnumerable<(string Id, string Text)> Units =>
        Faqs.Select(f => (f.Id, f.Question + "\n" + f.Answer)).Concat(Documents.SelectMany(d => d.Passages).Select(p => (p.Id, p.Text)));

    /// <summary>
    /// The id of the FAQ or passage a retrieved text (a chunk, whatever its heading or overlap) comes from:
    /// the unit whose answer or passage text it contains, compared with whitespace collapsed; null when none.
    /// When several match (a chunk holding more than one unit), the one appearing first in the text wins.
    /// </summary>
    public string? IdOf(string retrievedText)
    {
        ArgumentNullException.ThrowIfNull(retrievedText);
        var text = Collapse(retrievedText);
        string? best = null;
        var bestIndex = int.MaxValue;
        foreach (var (id, body) in Faqs.Select(f => (f.Id, f.Answer)).Concat(Documents.SelectMany(d => d.Passages).Select(p => (p.Id, p.Text))))
        {
            var index = text.IndexOf(Collapse(body), StringComparison.Ordinal);
            if (index >= 0 && index < bestIndex)
            {
                best = id;
                bestIndex = index;
            }
        }

        return best;
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>
/// The retrieval evaluation set (Eval/Data/*.json, one file per business): businesses of different
/// industries with their FAQs and documents, and caller questions labelled with the FAQ or passage that
/// answers them. Used by the retrieval eval command to print hit@1, hit@5 and MRR, and by the
/// "I don't know" checks (questions with no answer). The questions were written before the answers
/// and are not to be tuned to any retriever.
/// </summary>
public sealed class RetrievalEvalSet
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private RetrievalEvalSet(IReadOnlyList<EvalBusiness> businesses) => Businesses = businesses;

    /// <summary>The businesses, in file-name order.</summary>
    public IReadOnlyList<EvalBusiness> Businesses { get; }

    /// <summary>Every question with its business.</summary>
    public IEnumerable<(EvalBusiness Business, EvalQuestion Question)> Questions => Businesses.SelectMany(b => b.Questions.Select(q => (b, q)));

    /// <summary>The folder the set is read from by default: Eval/Data next to the test assembly.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Eval", "Data");

    /// <summary>
    /// Reads every *.json in <paramref name="directory"/> (default <see cref="DefaultDirectory"/>). Throws
    /// <see cref="InvalidDataException"/> when a file is malformed, an id repeats or a label names no FAQ or passage.
    /// </summary>
    public static RetrievalEvalSet Load(string? directory = null)
    {
        var folder = directory ?? DefaultDirectory;
        var businesses = new List<EvalBusiness>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var business = JsonSerializer.Deserialize<EvalBusiness>(File.ReadAllText(file), Json)
                ?? throw new InvalidDataException($"{file} is empty.");
            var ids = business.Units.Select(u => u.Id).ToList();
            if (ids.Count != ids.Distinct(StringComparer.Ordinal).Count())
            {
                throw new InvalidDataException($"{file} repeats an FAQ or passage id.");
            }

            var unknown = business.Questions.FirstOrDefault(q => q.Expected is not null && !ids.Contains(q.Expected, StringComparer.Ordinal));
            if (unknown is not null)
            {
                throw new InvalidDataException($"{file}: question '{unknown.Text}' names '{unknown.Expected}', which is no FAQ or passage.");
            }

            businesses.Add(business);
        }

        if (businesses.Count == 0)
        {
            throw new InvalidDataException($"No evaluation files in {folder}.");
        }

        return new RetrievalEvalSet(businesses);
    }
}
