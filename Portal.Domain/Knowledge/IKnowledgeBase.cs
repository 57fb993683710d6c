namespace Portal.Domain.Knowledge;

/// <summary>One retrieved piece of knowledge.</summary>
/// <param name="ItemId">The <see cref="Portal.Data.Entities.KnowledgeDocument"/> it came from.</param>
/// <param name="Title">FAQ question, or the document title and heading.</param>
/// <param name="Text">The answer or passage to quote.</param>
/// <param name="Score">Confidence in 0..1 (1 = certain); compared with the minimum score.</param>
/// <param name="IsFaq">True for a question/answer chunk, false for a document passage.</param>
/// <param name="ChunkId">The <see cref="Portal.Data.Entities.KnowledgeChunk"/>, when retrieved from the database.</param>
/// <param name="Ranks">How each retriever ranked it ("fts 1, trigram 3, dense 2") and the fused RRF score, for the owner's "Ask" box; null when not fused.</param>
public sealed record KnowledgeHit(Guid ItemId, string Title, string Text, double Score, bool IsFaq, Guid? ChunkId = null, string? Ranks = null);

/// <summary>A question to the knowledge base.</summary>
/// <param name="TenantId">Whose knowledge.</param>
/// <param name="Text">The caller's words.</param>
/// <param name="AgentPersonaId">Agent asking: documents scoped to another agent are left out; null = every document of the tenant.</param>
/// <param name="Limit">Most hits returned (1..50).</param>
public sealed record KnowledgeQuery(Guid TenantId, string Text, Guid? AgentPersonaId = null, int Limit = 5);

/// <summary>An answer from the knowledge base.</summary>
/// <param name="Text">What to say; null means "I don't know" (nothing cleared the minimum score).</param>
/// <param name="Chunks">The hits the answer was made from, best first, with their scores (the numbers cited as [1], [2]… are 1-based positions here).</param>
/// <param name="Generated">True when a language model wrote <paramref name="Text"/> from the chunks; false when a chunk is quoted.</param>
public sealed record KnowledgeAnswer(string? Text, IReadOnlyList<KnowledgeHit> Chunks, bool Generated)
{
    /// <summary>True when there is an answer.</summary>
    public bool Answered => Text is not null;

    /// <summary>
    /// The keyless answer: the best hit quoted as it is (for an FAQ the owner's answer, for a document
    /// the passage), or "I don't know" (null) when there is none. The text is data; nothing in it is obeyed.
    /// </summary>
    public static KnowledgeAnswer Quote(IReadOnlyList<KnowledgeHit> hits) =>
        hits.Count == 0 ? new KnowledgeAnswer(null, hits, false) : new KnowledgeAnswer(hits[0].Text.Trim(), hits, false);
}

/// <summary>
/// Retrieval over a tenant's knowledge (FAQs and documents). The conversation engine asks it
/// anything that is not a booking or a built-in fact. Implemented in Portal.Rag.
/// </summary>
public interface IKnowledgeBase
{
    /// <summary>Best hits for <paramref name="query"/> within one tenant (every agent's documents), best first, at most <paramref name="limit"/>; empty when nothing clears the minimum score.</summary>
    ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken);

    /// <summary>Best hits for <paramref name="query"/> within its tenant and agent scope, best first; empty when nothing clears the minimum score.</summary>
    ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken) =>
        SearchAsync(query.TenantId, query.Text, query.Limit, cancellationToken);

    /// <summary>
    /// Answers <paramref name="query"/> from the tenant's knowledge only. Without a language model the best hit is
    /// quoted (<see cref="KnowledgeAnswer.Quote"/>); an implementation with one writes a grounded answer citing its chunks.
    /// </summary>
    async ValueTask<KnowledgeAnswer> AnswerAsync(KnowledgeQuery query, CancellationToken cancellationToken) =>
        KnowledgeAnswer.Quote(await SearchAsync(query, cancellationToken));

    /// <summary>
    /// How well each of <paramref name="texts"/> (sentences of retrieved passages, or FAQ questions) matches
    /// <paramref name="question"/>, each in 0..1 (1 = answers it squarely), in the order given. Used to pick the sentences an
    /// answer quotes and to match the owner's FAQs. The default is word overlap
    /// (<see cref="Conversations.Answers.LexicalRelevance"/>); Portal.Rag scores with the same lexical model as retrieval and,
    /// when an embedding provider is registered, the same vectors.
    /// </summary>
    /// <param name="tenantId">Whose knowledge (for its word statistics).</param>
    /// <param name="question">The caller's words.</param>
    /// <param name="texts">Candidate texts; may be empty.</param>
    /// <param name="cancellationToken">Cancels the scoring (an embedding request).</param>
    ValueTask<IReadOnlyList<double>> RelevanceAsync(Guid tenantId, string question, IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Conversations.Answers.LexicalRelevance.Score(question, texts));

    /// <summary>Records a question the agent could not answer (a knowledge gap) for the owner to fill; implementations without storage ignore it.</summary>
    /// <param name="tenantId">Whose caller asked.</param>
    /// <param name="question">The caller's words.</param>
    /// <param name="conversationId">Where it was asked, when known.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RecordGapAsync(Guid tenantId, string question, Guid? conversationId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Forgets cached indexes of a tenant after its knowledge changed.</summary>
    void Invalidate(Guid tenantId);
}
