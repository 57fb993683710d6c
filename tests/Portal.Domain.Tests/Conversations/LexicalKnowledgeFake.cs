using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Portal.Domain.Knowledge;
using Portal.Rag.Lexical;
using Portal.Rag.Retrieval;

namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// An <see cref="IKnowledgeBase"/> over the real <see cref="Bm25Index"/> and the real
/// <see cref="DocumentPassages.SplitDocument"/>, without a database: knowledge answers in
/// engine tests go through the production retrieval and scoring code. Sentences are ranked by the production
/// <see cref="SentenceRelevance"/>: lexical, or with the vectors of <c>embeddings</c> when one is given.
/// </summary>
public sealed class LexicalKnowledgeFake : IKnowledgeBase
{
    private readonly Guid _tenantId;
    private readonly Bm25Index _index;
    private readonly SentenceRelevance _sentences;

    /// <summary>Indexes FAQ pairs and documents (title, text) of one tenant.</summary>
    public LexicalKnowledgeFake(Guid tenantId, IEnumerable<(string Question, string Answer)> faqs, IEnumerable<(string Title, string Text)> documents,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null)
    {
        _tenantId = tenantId;
        _sentences = new SentenceRelevance(Options.Create(new KnowledgeOptions()), null, embeddings);
        var passages = faqs.Select(f => new Passage(Guid.NewGuid(), f.Question, f.Answer, IsFaq: true)).ToList();
        foreach (var (title, text) in documents)
        {
            passages.AddRange(DocumentPassages.SplitDocument(Guid.NewGuid(), title, text));
        }

        Passages = passages;
        _index = new Bm25Index(passages);
    }

    /// <summary>The indexed passages.</summary>
    public IReadOnlyList<Passage> Passages { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken)
    {
        if (tenantId != _tenantId)
        {
            return ValueTask.FromResult<IReadOnlyList<KnowledgeHit>>([]);
        }

        IReadOnlyList<KnowledgeHit> hits = _index.Search(query, limit)
            .Select(r => new KnowledgeHit(r.Passage.ItemId, r.Passage.Title, r.Passage.Text, r.Coverage, r.Passage.IsFaq))
            .ToList();
        return ValueTask.FromResult(hits);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<double>> RelevanceAsync(Guid tenantId, string question, IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        _sentences.ScoreAsync(question, texts, null, cancellationToken);

    /// <inheritdoc />
    public void Invalidate(Guid tenantId)
    {
    }
}
