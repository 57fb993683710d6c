using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Entities;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>
/// One business of a retrieval evaluation: its knowledge (FAQs, documents, optionally its industry template's FAQs) and
/// caller questions, each with the start of the chunk text that answers it, or null when nothing should answer
/// (out of scope). Loaded from <c>Knowledge/EvalSets/*.json</c>: drop another set there (or add an
/// <see cref="IRetrievalEvalSource"/>) and the eval picks it up.
/// </summary>
public sealed record RetrievalEvalSet(
    string Name,
    Industry Industry,
    bool KeepTemplateFaqs,
    IReadOnlyList<EvalFaq> Faqs,
    IReadOnlyList<EvalDocument> Documents,
    IReadOnlyList<EvalQuestion> Questions);

/// <summary>An FAQ of an eval business.</summary>
public sealed record EvalFaq(string Question, string Answer);

/// <summary>A document of an eval business (indexed through the real upload and indexing job).</summary>
public sealed record EvalDocument(string Title, string FileName, string Text);

/// <summary>A caller question and the start of the expected chunk text (null = must be "I don't know").</summary>
public sealed record EvalQuestion(string Question, string? Expected);

/// <summary>Where eval sets come from.</summary>
public interface IRetrievalEvalSource
{
    /// <summary>The sets of this source.</summary>
    IEnumerable<RetrievalEvalSet> Load();
}

/// <summary>Every <c>*.json</c> file under <c>Knowledge/EvalSets</c> next to the test assembly.</summary>
public sealed class JsonEvalSetSource : IRetrievalEvalSource
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IEnumerable<RetrievalEvalSet> Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Knowledge", "EvalSets");
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            yield return JsonSerializer.Deserialize<RetrievalEvalSet>(File.ReadAllText(file), Options)
                ?? throw new InvalidDataException($"{file} is not an eval set.");
        }
    }
}
