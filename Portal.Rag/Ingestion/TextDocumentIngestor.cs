using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Knowledge;

namespace Portal.Rag.Ingestion;

/// <summary>Outcome of adding a document.</summary>
/// <param name="ItemId">The stored (or already present) item, null on failure.</param>
/// <param name="Error">Why it was refused, in words an owner understands; null on success.</param>
/// <param name="Duplicate">True when the same content was already in the knowledge base.</param>
public sealed record IngestResult(Guid? ItemId, string? Error, bool Duplicate = false)
{
    /// <summary>True when the document is in the knowledge base.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Adds plain-text and Markdown documents (.txt, .md) to a tenant's knowledge. The size limit is
/// enforced while reading (a 2 GB upload is cut off at the limit, not buffered); content must be
/// valid UTF-8 text; a re-upload of identical content (SHA-256) is recognised and not stored twice.
/// PDF, DOCX, spreadsheets and URLs come with the knowledge-base ingestion jobs.
/// </summary>
public sealed class TextDocumentIngestor(IDbContextFactory<PortalDbContext> contextFactory, IKnowledgeBase knowledge)
{
    /// <summary>Extensions accepted by this ingestor.</summary>
    public static readonly IReadOnlyList<string> SupportedExtensions = [".txt", ".md", ".markdown"];

    /// <summary>Reads <paramref name="content"/> (at most <see cref="KnowledgeItem.MaxDocumentBytes"/>) and stores it for <paramref name="tenantId"/>. Never throws for bad input: the result says what was wrong and nothing is written.</summary>
    public async Task<IngestResult> AddAsync(Guid tenantId, string fileName, Stream content, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
        {
            return new IngestResult(null, $"'{fileName}' is not a text or Markdown file. PDF, Word and web pages are coming soon.");
        }

        var limit = KnowledgeItem.MaxDocumentBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new IngestResult(null, $"'{fileName}' is larger than {limit / (1024 * 1024)} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return new IngestResult(null, $"'{fileName}' is not readable text (it is not UTF-8).");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return new IngestResult(null, $"'{fileName}' looks like a binary file, not text.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new IngestResult(null, $"'{fileName}' is empty.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Uploads are made by a signed-in owner: the tenant filter scopes this lookup; tenantId names the owner of the new row.
        var existing = await db.KnowledgeItems.Where(k => k.TenantId == tenantId && k.ContentHash == hash).Select(k => (Guid?)k.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return new IngestResult(existing, null, Duplicate: true);
        }

        var item = new KnowledgeItem
        {
            TenantId = tenantId,
            Kind = KnowledgeKind.Document,
            Title = Path.GetFileNameWithoutExtension(fileName),
            Content = text,
            SourceFileName = Path.GetFileName(fileName),
            SizeBytes = bytes.Length,
            ContentHash = hash,
            Status = KnowledgeStatus.Ready,
        };
        db.KnowledgeItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        knowledge.Invalidate(tenantId);
        return new IngestResult(item.Id, null);
    }
}
