namespace Portal.Domain.Knowledge;

/// <summary>One retrieved piece of knowledge.</summary>
/// <param name="ItemId">The <see cref="Entities.KnowledgeItem"/> it came from.</param>
/// <param name="Title">FAQ question or document title.</param>
/// <param name="Text">The answer or passage to quote.</param>
/// <param name="Score">Relevance in 0..1 (1 = certain).</param>
/// <param name="IsFaq">True for an FAQ answer, false for a document passage.</param>
public sealed record KnowledgeHit(Guid ItemId, string Title, string Text, double Score, bool IsFaq);

/// <summary>
/// Retrieval over a tenant's knowledge (FAQs and documents). The conversation engine asks it
/// anything that is not a booking or a built-in fact. Implemented in Portal.Rag.
/// </summary>
public interface IKnowledgeBase
{
    /// <summary>Best hits for <paramref name="query"/> within one tenant, best first, at most <paramref name="limit"/>; empty when nothing clears the minimum score.</summary>
    ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets cached indexes of a tenant after its knowledge changed.</summary>
    void Invalidate(Guid tenantId);
}
