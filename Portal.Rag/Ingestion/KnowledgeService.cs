using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Text;
using Portal.Domain.Knowledge;
using Portal.Rag.Extraction;
using Portal.Rag.Retrieval;

namespace Portal.Rag.Ingestion;

/// <summary>Outcome of adding knowledge.</summary>
/// <param name="DocumentId">The stored (or already present) document, null on failure.</param>
/// <param name="Error">Why it was refused, in words an owner understands; null on success.</param>
/// <param name="Duplicate">True when the same content was already in the knowledge base (nothing new stored).</param>
public sealed record IngestResult(Guid? DocumentId, string? Error, bool Duplicate = false)
{
    /// <summary>True when the document is in the knowledge base.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>A knowledge source as the API lists it.</summary>
/// <param name="Id">Document id.</param>
/// <param name="Kind">FAQ, file or URL.</param>
/// <param name="Title">Title.</param>
/// <param name="SourceName">Uploaded file name, if any.</param>
/// <param name="SourceUrl">Imported address, if any.</param>
/// <param name="Status">Queued, processing, ready or failed.</param>
/// <param name="Error">Why indexing failed, if it did.</param>
/// <param name="SizeBytes">Size of the source in bytes.</param>
/// <param name="ChunkCount">Indexed chunks.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
public sealed record KnowledgeSourceRow(Guid Id, KnowledgeKind Kind, string Title, string? SourceName, string? SourceUrl, KnowledgeStatus Status, string? Error, long SizeBytes, int ChunkCount, DateTimeOffset CreatedAt);

/// <summary>
/// The owner's operations on knowledge: upload a file, add a website address, add/edit an FAQ, delete, re-index,
/// and answer a knowledge gap. Files and URLs are stored as queued documents and handed to the background queue
/// (<see cref="IKnowledgeJobQueue"/>); FAQs are indexed at once. Bad input gets an <see cref="IngestResult.Error"/>
/// and writes nothing. Reads and deletes go through the tenant query filter (a signed-in owner); new rows name
/// <c>tenantId</c>.
/// </summary>
public sealed class KnowledgeService(
    IDbContextFactory<PortalDbContext> contextFactory,
    IKnowledgeBase knowledge,
    IKnowledgeJobQueue queue,
    IEnumerable<IDocumentExtractor> extractors,
    IOptions<KnowledgeOptions> options,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    IWebsiteCrawler? crawler = null)
{
    private readonly KnowledgeOptions _options = options.Value;

    /// <summary>True when a website crawler is registered (URL import available).</summary>
    public bool UrlImportAvailable => crawler is not null;

    /// <summary>Largest accepted file, bytes.</summary>
    public long MaxFileBytes => _options.MaxFileBytes;

    /// <summary>File extensions some registered extractor reads (lower case, with the dot), from a fixed list of candidates.</summary>
    public IReadOnlyList<string> SupportedExtensions =>
        [.. new[] { ".txt", ".md", ".markdown", ".pdf", ".docx", ".csv", ".xlsx", ".html", ".htm" }.Where(e => extractors.Any(x => x.Supports(e)))];

    /// <summary>
    /// Stores an uploaded file (at most <see cref="MaxFileBytes"/>, enforced while reading) as a queued document and
    /// enqueues its indexing. Identical bytes already uploaded by the tenant give <see cref="IngestResult.Duplicate"/>.
    /// </summary>
    public async Task<IngestResult> UploadAsync(Guid tenantId, string fileName, Stream content, Guid? agentPersonaId, CancellationToken cancellationToken)
    {
        var name = InputText.CleanName(Path.GetFileName(fileName ?? ""), "the file name", out var nameError) ?? "";
        if (nameError is not null)
        {
            return new IngestResult(null, nameError);
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (name.Length == 0 || name.Length > KnowledgeDocument.SourceNameMaxLength)
        {
            return new IngestResult(null, "The file needs a name of at most 260 characters.");
        }

        if (!extractors.Any(x => x.Supports(extension)))
        {
            return new IngestResult(null, $"'{name}' is not a supported file type. Supported: {string.Join(", ", SupportedExtensions)}.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxFileBytes)
            {
                return new IngestResult(null, $"'{name}' is larger than {_options.MaxFileBytes / (1024.0 * 1024):0.#} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return new IngestResult(null, $"'{name}' is empty.");
        }

        var bytes = buffer.ToArray();
        var hash = KnowledgeDocument.Hash(bytes);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await ExistingAsync(db, hash, cancellationToken) is { } existing)
        {
            return new IngestResult(existing, null, Duplicate: true);
        }

        var document = new KnowledgeDocument
        {
            TenantId = tenantId,
            AgentPersonaId = agentPersonaId,
            Kind = KnowledgeKind.File,
            Title = Path.GetFileNameWithoutExtension(name),
            SourceName = name,
            ContentType = ContentTypeOf(extension),
            SizeBytes = bytes.Length,
            ContentHash = hash,
            Status = KnowledgeStatus.Queued,
        };
        db.KnowledgeDocuments.Add(document);
        db.KnowledgeFiles.Add(new KnowledgeFile { TenantId = tenantId, DocumentId = document.Id, Content = bytes });
        if (!await TrySaveAsync(db, cancellationToken))
        {
            return new IngestResult(await ExistingAsync(db, hash, cancellationToken), null, Duplicate: true); // uploaded twice at once
        }

        queue.EnqueueIndex(tenantId, document.Id);
        return new IngestResult(document.Id, null);
    }

    /// <summary>Adds a website (absolute http/https address) as a queued URL document and enqueues its crawl; refused when no crawler is registered.</summary>
    public async Task<IngestResult> AddUrlAsync(Guid tenantId, string url, Guid? agentPersonaId, CancellationToken cancellationToken)
    {
        if (crawler is null)
        {
            return new IngestResult(null, "Website import is not available on this installation yet.");
        }

        if (InputText.HasForbiddenControl(url) || !Uri.TryCreate((url ?? "").Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsoluteUri.Length > KnowledgeDocument.SourceUrlMaxLength)
        {
            return new IngestResult(null, "Enter a full website address starting with http:// or https://.");
        }

        var address = uri.GetLeftPart(UriPartial.Query);
        var hash = KnowledgeDocument.Hash(System.Text.Encoding.UTF8.GetBytes("url:" + address.ToLowerInvariant()));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await ExistingAsync(db, hash, cancellationToken) is { } existing)
        {
            return new IngestResult(existing, null, Duplicate: true);
        }

        var document = new KnowledgeDocument
        {
            TenantId = tenantId,
            AgentPersonaId = agentPersonaId,
            Kind = KnowledgeKind.Url,
            Title = uri.Host,
            SourceUrl = address,
            ContentType = "text/html",
            ContentHash = hash,
            Status = KnowledgeStatus.Queued,
        };
        db.KnowledgeDocuments.Add(document);
        if (!await TrySaveAsync(db, cancellationToken))
        {
            return new IngestResult(await ExistingAsync(db, hash, cancellationToken), null, Duplicate: true);
        }

        queue.EnqueueIndex(tenantId, document.Id);
        return new IngestResult(document.Id, null);
    }

    /// <summary>
    /// Every knowledge document of the current business, newest first, FAQs last, each with its first chunk only (an
    /// FAQ's answer, see <see cref="KnowledgeDocument.FaqAnswer"/>).
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeDocument>> ListDocumentsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeDocuments.AsNoTracking()
            .Include(d => d.Chunks.Where(c => c.Ordinal == 0))
            .OrderBy(d => d.Kind == KnowledgeKind.Faq).ThenByDescending(d => d.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> of the current business's knowledge sources of <paramref name="kind"/> and
    /// <paramref name="status"/> (null: any), newest first (ties by id, descending), starting strictly after the row
    /// <paramref name="after"/> (the last row of the previous page; null: from the start).
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeSourceRow>> ListSourcesAfterAsync(KnowledgeKind? kind, KnowledgeStatus? status, int limit, (DateTimeOffset At, Guid Id)? after, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.KnowledgeDocuments.AsNoTracking();
        query = kind is { } k ? query.Where(d => d.Kind == k) : query;
        query = status is { } s ? query.Where(d => d.Status == s) : query;
        if (after is var (at, lastId))
        {
            query = query.Where(d => d.CreatedAt < at || (d.CreatedAt == at && d.Id.CompareTo(lastId) < 0));
        }

        return await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit)
            .Select(d => new KnowledgeSourceRow(d.Id, d.Kind, d.Title, d.SourceName, d.SourceUrl, d.Status, d.Error, d.SizeBytes, d.ChunkCount, d.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The current business's unanswered questions, most asked first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<KnowledgeGap>> ListGapsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeGaps.AsNoTracking().Where(g => !g.Resolved)
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAskedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>The indexed chunks of one document in order (at most 200); empty when it is not the current business's.</summary>
    public async Task<IReadOnlyList<KnowledgeChunk>> ListChunksAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeChunks.AsNoTracking().Where(c => c.DocumentId == documentId).OrderBy(c => c.Ordinal).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>Adds an FAQ (ready at once), or updates <paramref name="documentId"/>'s question and answer. An identical FAQ already present is a duplicate.</summary>
    public async Task<IngestResult> SaveFaqAsync(Guid tenantId, Guid? documentId, string question, string answer, Guid? agentPersonaId, CancellationToken cancellationToken)
    {
        question = (question ?? "").Trim();
        answer = (answer ?? "").Trim();
        if ((InputText.ControlCharacterError(question, "the question") ?? InputText.ControlCharacterError(answer, "the answer")) is { } textError)
        {
            return new IngestResult(null, textError);
        }

        if (question.Length == 0 || question.Length > KnowledgeDocument.TitleMaxLength)
        {
            return new IngestResult(null, $"Write the question (at most {KnowledgeDocument.TitleMaxLength} characters).");
        }

        if (answer.Length == 0 || answer.Length > KnowledgeDocument.AnswerMaxLength)
        {
            return new IngestResult(null, $"Write the answer (at most {KnowledgeDocument.AnswerMaxLength} characters).");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        KnowledgeDocument document;
        if (documentId is { } id)
        {
            var found = await db.KnowledgeDocuments.Include(d => d.Chunks).FirstOrDefaultAsync(d => d.Id == id && d.Kind == KnowledgeKind.Faq, cancellationToken);
            if (found is null)
            {
                return new IngestResult(null, "This FAQ no longer exists.");
            }

            document = found;
            document.SetFaq(question, answer);
            document.AgentPersonaId = agentPersonaId;
        }
        else
        {
            document = KnowledgeDocument.NewFaq(tenantId, question, answer, agentPersonaId);
            if (await ExistingAsync(db, document.ContentHash, cancellationToken) is { } existing)
            {
                return new IngestResult(existing, null, Duplicate: true);
            }

            db.KnowledgeDocuments.Add(document);
        }

        if (!await TrySaveAsync(db, cancellationToken))
        {
            return new IngestResult(null, "The same question and answer are already in your knowledge base.");
        }

        Changed(tenantId, embed: true);
        return new IngestResult(document.Id, null);
    }

    /// <summary>Deletes a document with its chunks and file. Returns false when it does not exist (or belongs to another tenant).</summary>
    public async Task<bool> DeleteAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.KnowledgeDocuments.Where(d => d.Id == documentId).ExecuteDeleteAsync(cancellationToken);
        Changed(tenantId, embed: false);
        return deleted > 0;
    }

    /// <summary>Rebuilds a document's chunks: files and URLs are queued again; an FAQ gets its chunk embedded again. Returns false when it does not exist.</summary>
    public async Task<bool> ReindexAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var document = await db.KnowledgeDocuments.Include(d => d.Chunks).FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return false;
        }

        if (document.Kind == KnowledgeKind.Faq)
        {
            document.SetFaq(document.Title, document.FaqAnswer ?? "");
            await db.SaveChangesAsync(cancellationToken);
            Changed(tenantId, embed: true);
            return true;
        }

        document.Status = KnowledgeStatus.Queued;
        document.Progress = 0;
        document.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        queue.EnqueueIndex(tenantId, document.Id);
        return true;
    }

    /// <summary>Answers a knowledge gap: adds the FAQ and marks the gap resolved.</summary>
    public async Task<IngestResult> AnswerGapAsync(Guid tenantId, Guid gapId, string question, string answer, CancellationToken cancellationToken)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.KnowledgeGaps.AnyAsync(g => g.Id == gapId, cancellationToken))
            {
                return new IngestResult(null, "This question is no longer listed.");
            }
        }

        var result = await SaveFaqAsync(tenantId, null, question, answer, null, cancellationToken);
        if (result.Succeeded)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await db.KnowledgeGaps.Where(g => g.Id == gapId).ExecuteUpdateAsync(s => s.SetProperty(g => g.Resolved, true), cancellationToken);
        }

        return result;
    }

    /// <summary>Content type recorded for an extension.</summary>
    public static string ContentTypeOf(string extension) => extension switch
    {
        ".md" or ".markdown" => "text/markdown",
        ".txt" => "text/plain",
        ".pdf" => "application/pdf",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".csv" => "text/csv",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".html" or ".htm" => "text/html",
        _ => "application/octet-stream",
    };

    private static async Task<Guid?> ExistingAsync(PortalDbContext db, string hash, CancellationToken ct) =>
        await db.KnowledgeDocuments.Where(d => d.ContentHash == hash).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct);

    private static async Task<bool> TrySaveAsync(PortalDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private void Changed(Guid tenantId, bool embed)
    {
        knowledge.Invalidate(tenantId);
        if (embed && embeddings is not null)
        {
            queue.EnqueueEmbedMissing(tenantId);
        }
    }
}
