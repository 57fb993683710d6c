using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Knowledge;
using Portal.Rag.Chunking;
using Portal.Rag.Extraction;
using Portal.Rag.Retrieval;

namespace Portal.Rag.Ingestion;

/// <summary>
/// Indexes one file or URL document, the work of the background job: queued → processing (progress 5) →
/// extract (30) → chunk (50) → embed when a generator is configured (50..90) → all chunks replaced in one
/// transaction → ready (100). A <see cref="DocumentExtractionException"/> (corrupt, encrypted, empty,
/// oversized, unsupported) sets failed with its owner-readable message and leaves no chunks; any other error
/// sets failed with a generic reason, leaves no chunks, and is rethrown for the job's retry. Safe to run twice.
/// Runs without a signed-in owner: every query names the tenant and ignores the query filter.
/// </summary>
public sealed class KnowledgeIndexer(
    IDbContextFactory<PortalDbContext> contextFactory,
    IEnumerable<IDocumentExtractor> extractors,
    ITextChunker chunker,
    IKnowledgeBase knowledge,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeIndexer> logger,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    IWebsiteCrawler? crawler = null)
{
    /// <summary>Reason shown when something other than the file went wrong.</summary>
    public const string UnexpectedFailure = "Something went wrong while reading this source. Try re-indexing it; if it fails again, contact support.";

    private readonly KnowledgeOptions _options = options.Value;

    /// <summary>Indexes <paramref name="documentId"/> of <paramref name="tenantId"/>; returns the final status, or null when the document no longer exists.</summary>
    public async Task<KnowledgeStatus?> RunAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Jobs have no tenant context: the tenant is named explicitly.
        var document = await db.KnowledgeDocuments.IgnoreQueryFilters().FirstOrDefaultAsync(d => d.Id == documentId && d.TenantId == tenantId, cancellationToken);
        if (document is null || document.Kind == KnowledgeKind.Faq)
        {
            return document?.Status;
        }

        await SetAsync(db, document, KnowledgeStatus.Processing, 5, null, cancellationToken);
        try
        {
            var (pages, chunks) = await ReadAsync(db, document, cancellationToken);
            await SetAsync(db, document, KnowledgeStatus.Processing, 50, null, cancellationToken);
            var vectors = await EmbedAsync(db, document, chunks, cancellationToken);
            var model = embeddings is null ? null : PostgresKnowledgeBase.EmbeddingModelName(embeddings);

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.KnowledgeChunks.IgnoreQueryFilters().Where(c => c.DocumentId == documentId && c.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            for (var i = 0; i < chunks.Count; i++)
            {
                var c = chunks[i];
                db.KnowledgeChunks.Add(new KnowledgeChunk
                {
                    TenantId = tenantId,
                    DocumentId = documentId,
                    Ordinal = i,
                    // Heading and question have their own fields (weighted apart in the search vector); the text is the quotable body.
                    Text = c.Quotable,
                    Heading = Truncate(c.Heading, KnowledgeChunk.HeadingMaxLength),
                    Question = Truncate(c.Question, KnowledgeDocument.TitleMaxLength),
                    TokenCount = c.TokenCount,
                    PageNumber = c.PageNumber,
                    Embedding = vectors?[i],
                    EmbeddingModel = vectors is null ? null : model,
                });
            }

            document.Status = KnowledgeStatus.Ready;
            document.Progress = 100;
            document.ChunkCount = chunks.Count;
            document.PageCount = pages;
            document.Error = null;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            knowledge.Invalidate(tenantId);
            logger.LogInformation("Indexed knowledge document {DocumentId}: {Chunks} chunks from {Pages} pages", documentId, chunks.Count, pages);
            return KnowledgeStatus.Ready;
        }
        catch (DocumentExtractionException ex)
        {
            logger.LogInformation(ex, "Knowledge document {DocumentId} could not be read", documentId);
            await FailAsync(document, ex.Message, cancellationToken);
            return KnowledgeStatus.Failed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Indexing knowledge document {DocumentId} failed", documentId);
            await FailAsync(document, UnexpectedFailure, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Embeds the tenant's chunks of ready documents that have no vector of the configured model (new or edited
    /// FAQs, a changed model), in batches; returns how many were embedded (0 when no generator is configured).
    /// </summary>
    public async Task<int> EmbedMissingAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (embeddings is null)
        {
            return 0;
        }

        var model = PostgresKnowledgeBase.EmbeddingModelName(embeddings);
        var total = 0;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            // Jobs have no tenant context: the tenant is named explicitly.
            var batch = await db.KnowledgeChunks.IgnoreQueryFilters()
                .Where(c => c.TenantId == tenantId && (c.Embedding == null || c.EmbeddingModel != model))
                .OrderBy(c => c.Id).Take(_options.EmbeddingBatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var generated = await embeddings.GenerateAsync(batch.Select(c => EmbeddingText(new TextChunk(c.Ordinal, c.Text, c.Heading, c.TokenCount, c.PageNumber, c.Question))), cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Embedding = generated[i].Vector.ToArray();
                batch[i].EmbeddingModel = model;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            total += batch.Count;
        }

        if (total > 0)
        {
            knowledge.Invalidate(tenantId);
        }

        return total;
    }

    /// <summary>
    /// Tenants (at most <paramref name="max"/>) holding chunks with no vector of the configured model: chunks stored before
    /// an embedding provider existed (keyless installs before the local model) or made by another model. Empty when no
    /// generator is configured. A platform maintenance query across tenants.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> TenantsMissingEmbeddingsAsync(int max, CancellationToken cancellationToken)
    {
        if (embeddings is null)
        {
            return [];
        }

        var model = PostgresKnowledgeBase.EmbeddingModelName(embeddings);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Across tenants: the backfill job runs for the platform, not for one signed-in owner.
        return await db.KnowledgeChunks.IgnoreQueryFilters()
            .Where(c => c.Embedding == null || c.EmbeddingModel != model)
            .Select(c => c.TenantId).Distinct().OrderBy(id => id).Take(max)
            .ToListAsync(cancellationToken);
    }

    private async Task<(int Pages, IReadOnlyList<TextChunk> Chunks)> ReadAsync(PortalDbContext db, KnowledgeDocument document, CancellationToken ct)
    {
        IReadOnlyList<ExtractedDocument> extracted;
        if (document.Kind == KnowledgeKind.Url)
        {
            if (crawler is null)
            {
                throw new DocumentExtractionException("Website import is not available on this installation yet.");
            }

            var pagesRead = new Progress<int>();
            extracted = await crawler.CrawlAsync(new Uri(document.SourceUrl!), pagesRead, ct);
            var text = extracted.Sum(e => e.Sections.Sum(x => (long)x.Text.Length + (x.Question?.Length ?? 0)));
            if (text > _options.MaxTextChars)
            {
                throw new DocumentExtractionException($"The website holds more than {_options.MaxTextChars:N0} characters of text and was not imported. Import a smaller part of it (one section's address).");
            }
        }
        else
        {
            var bytes = await db.KnowledgeFiles.IgnoreQueryFilters().Where(f => f.DocumentId == document.Id && f.TenantId == document.TenantId).Select(f => f.Content).FirstOrDefaultAsync(ct)
                ?? throw new DocumentExtractionException("The uploaded file is no longer stored. Please upload it again.");
            var name = document.SourceName ?? document.Title;
            var extractor = extractors.FirstOrDefault(x => x.Supports(Path.GetExtension(name).ToLowerInvariant()))
                ?? throw new DocumentExtractionException($"'{name}' is not a supported file type.");
            if (bytes.LongLength > _options.MaxFileBytes)
            {
                throw new DocumentExtractionException($"'{name}' is larger than {_options.MaxFileBytes / (1024.0 * 1024):0.#} MB.");
            }

            await using var stream = new MemoryStream(bytes, writable: false);
            extracted = [await extractor.ExtractAsync(stream, name, _options.Limits, ct)];
        }

        await SetAsync(db, document, KnowledgeStatus.Processing, 30, null, ct);
        var chunks = new List<TextChunk>();
        foreach (var page in extracted)
        {
            chunks.AddRange(chunker.Chunk(page).Select(c => c with { Ordinal = chunks.Count + c.Ordinal }));
        }

        if (chunks.Count == 0 || chunks.All(c => string.IsNullOrWhiteSpace(c.Text)))
        {
            throw new DocumentExtractionException($"No text was found in '{document.SourceName ?? document.SourceUrl}'.");
        }

        await EnsureChunkAllowanceAsync(db, document, chunks.Count, ct);

        if (document.Kind == KnowledgeKind.Url && extracted.Count > 0 && !string.IsNullOrWhiteSpace(extracted[0].Title))
        {
            document.Title = Truncate(extracted[0].Title, KnowledgeDocument.TitleMaxLength)!;
        }

        return (extracted.Sum(e => Math.Max(1, e.PageCount)), chunks);
    }

    /// <summary>
    /// Refuses a document of more than <see cref="KnowledgeOptions.MaxChunksPerDocument"/> chunks, or one that would take the
    /// business over its plan's <see cref="KnowledgeOptions.ChunkAllowance"/> (chunks of its other documents counted).
    /// </summary>
    private async Task EnsureChunkAllowanceAsync(PortalDbContext db, KnowledgeDocument document, int chunks, CancellationToken ct)
    {
        var name = document.SourceName ?? document.SourceUrl ?? document.Title;
        if (chunks > _options.MaxChunksPerDocument)
        {
            throw new DocumentExtractionException(
                $"'{name}' would make {chunks:N0} knowledge entries, more than the {_options.MaxChunksPerDocument:N0} allowed for one document. Split it into smaller documents.");
        }

        // Jobs have no tenant context: the tenant is named explicitly.
        var plan = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == document.TenantId).Select(t => t.Plan).FirstOrDefaultAsync(ct);
        var others = await db.KnowledgeChunks.IgnoreQueryFilters().CountAsync(c => c.TenantId == document.TenantId && c.DocumentId != document.Id, ct);
        var allowance = _options.ChunkAllowance(plan);
        if (others + chunks > allowance)
        {
            throw new DocumentExtractionException(
                $"'{name}' would take your knowledge base to {others + chunks:N0} entries, over the {allowance:N0} of your plan. Remove documents you no longer need, or upgrade your plan.");
        }
    }

    private async Task<float[][]?> EmbedAsync(PortalDbContext db, KnowledgeDocument document, IReadOnlyList<TextChunk> chunks, CancellationToken ct)
    {
        if (embeddings is null)
        {
            return null;
        }

        var vectors = new float[chunks.Count][];
        var batch = _options.EmbeddingBatchSize;
        for (var start = 0; start < chunks.Count; start += batch)
        {
            var inputs = chunks.Skip(start).Take(batch).Select(EmbeddingText).ToList();
            var generated = await embeddings.GenerateAsync(inputs, cancellationToken: ct);
            for (var i = 0; i < generated.Count; i++)
            {
                vectors[start + i] = generated[i].Vector.ToArray();
            }

            await SetAsync(db, document, KnowledgeStatus.Processing, 50 + (40 * Math.Min(chunks.Count, start + batch) / chunks.Count), null, ct);
        }

        return vectors;
    }

    /// <summary>The text embedded for a chunk: heading, question and body (<see cref="TextChunk.Quotable"/>) on separate lines, the same for a new chunk and a stored one.</summary>
    public static string EmbeddingText(TextChunk chunk) =>
        string.Join('\n', new[] { chunk.Heading, chunk.Question, chunk.Quotable }.Where(s => !string.IsNullOrWhiteSpace(s)));

    private static async Task SetAsync(PortalDbContext db, KnowledgeDocument document, KnowledgeStatus status, int progress, string? error, CancellationToken ct)
    {
        document.Status = status;
        document.Progress = progress;
        document.Error = error;
        await db.SaveChangesAsync(ct);
    }

    private async Task FailAsync(KnowledgeDocument document, string reason, CancellationToken ct)
    {
        // A fresh context: the failed one may hold a broken transaction or half-added chunks.
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.KnowledgeChunks.IgnoreQueryFilters().Where(c => c.DocumentId == document.Id && c.TenantId == document.TenantId).ExecuteDeleteAsync(ct);
        await db.KnowledgeDocuments.IgnoreQueryFilters().Where(d => d.Id == document.Id && d.TenantId == document.TenantId).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, KnowledgeStatus.Failed)
                .SetProperty(d => d.Error, Truncate(reason, KnowledgeDocument.ErrorMaxLength))
                .SetProperty(d => d.Progress, 0)
                .SetProperty(d => d.ChunkCount, 0),
            ct);
        await transaction.CommitAsync(ct);
        knowledge.Invalidate(document.TenantId);
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
