using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Knowledge;

namespace Portal.Rag.Lexical;

/// <summary>
/// A per-tenant in-memory BM25 index over the stored chunks, built on first use and kept until the
/// tenant's knowledge changes (<see cref="Invalidate"/>). Not registered by default (the product uses
/// <see cref="Retrieval.PostgresKnowledgeBase"/>); kept as the reference the lexical eval compares with, and
/// for <see cref="SplitDocument"/>, which the conversation tests use to index documents without a database.
/// </summary>
public sealed partial class InMemoryKnowledgeBase(IServiceScopeFactory scopeFactory) : IKnowledgeBase
{
    /// <summary>Longest passage cut from a document, in characters.</summary>
    public const int MaxPassageChars = 700;

    private readonly ConcurrentDictionary<Guid, Lazy<Task<Bm25Index>>> _indexes = new();

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken)
    {
        var index = await _indexes.GetOrAdd(tenantId, id => new Lazy<Task<Bm25Index>>(() => BuildAsync(id))).Value;
        return index.Search(query, limit)
            .Select(r => new KnowledgeHit(r.Passage.ItemId, r.Passage.Title, r.Passage.Text, r.Coverage, r.Passage.IsFaq))
            .ToList();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<double>> RelevanceAsync(Guid tenantId, string question, IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<double>>(Retrieval.SentenceRelevance.Lexical(question, texts, null));

    /// <inheritdoc />
    public void Invalidate(Guid tenantId) => _indexes.TryRemove(tenantId, out _);

    private async Task<Bm25Index> BuildAsync(Guid tenantId)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        // Built for one tenant, named explicitly (the voice channel has no signed-in user).
        var passages = await db.KnowledgeChunks.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.TenantId == tenantId)
            .Join(db.KnowledgeDocuments.IgnoreQueryFilters().Where(d => d.Status == KnowledgeStatus.Ready), c => c.DocumentId, d => d.Id, (c, d) => new { c.DocumentId, c.Question, c.Heading, d.Title, c.Text })
            .Select(x => new Passage(x.DocumentId, x.Question ?? x.Heading ?? x.Title, x.Text, x.Question != null))
            .ToListAsync();
        return new Bm25Index(passages);
    }

    /// <summary>
    /// Splits a text/markdown document into passages: "Q:/A:" pairs stay together, markdown
    /// headings carry into their section's passages, paragraphs are packed up to
    /// <see cref="MaxPassageChars"/>.
    /// </summary>
    public static IEnumerable<Passage> SplitDocument(Guid itemId, string title, string content)
    {
        var heading = title;
        var blocks = BlankLines().Split(content.Replace("\r\n", "\n", StringComparison.Ordinal));
        var current = "";
        foreach (var raw in blocks)
        {
            var block = raw.Trim();
            if (block.Length == 0)
            {
                continue;
            }

            if (block.StartsWith('#'))
            {
                if (current.Length > 0)
                {
                    yield return new Passage(itemId, heading, current, IsFaq: false);
                    current = "";
                }

                var lines = block.Split('\n', 2);
                heading = lines[0].TrimStart('#').Trim();
                block = lines.Length > 1 ? lines[1].Trim() : "";
                if (block.Length == 0)
                {
                    continue;
                }
            }

            var qa = QaPair().Match(block);
            if (qa.Success)
            {
                if (current.Length > 0)
                {
                    yield return new Passage(itemId, heading, current, IsFaq: false);
                    current = "";
                }

                yield return new Passage(itemId, qa.Groups["q"].Value.Trim(), qa.Groups["a"].Value.Trim(), IsFaq: true);
                continue;
            }

            if (current.Length > 0 && current.Length + block.Length > MaxPassageChars)
            {
                yield return new Passage(itemId, heading, current, IsFaq: false);
                current = "";
            }

            current = current.Length == 0 ? block : $"{current}\n{block}";
        }

        if (current.Length > 0)
        {
            yield return new Passage(itemId, heading, current, IsFaq: false);
        }
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^(?:Q|Question)\s*[:.]\s*(?<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?<a>[\s\S]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex QaPair();
}
