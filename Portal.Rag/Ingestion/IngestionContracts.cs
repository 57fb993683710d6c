using Portal.Rag.Chunking;
using Portal.Rag.Extraction;

namespace Portal.Rag.Ingestion;

/// <summary>
/// Splits an extracted document into indexable chunks. Implemented by the structure-aware, token-bounded
/// <see cref="Chunker"/>; an interface so tests and benchmarks can size or replace it.
/// </summary>
public interface ITextChunker
{
    /// <summary>Chunks of <paramref name="document"/> in reading order, ordinals 0..n-1; empty only when the document has no text.</summary>
    IReadOnlyList<TextChunk> Chunk(ExtractedDocument document);
}

/// <summary>
/// Reads a website from a start address (same-site links, depth and page limits, robots.txt) into one
/// <see cref="ExtractedDocument"/> per page. Implemented by <see cref="Crawling.CrawlingWebsiteImporter"/> over
/// <see cref="Crawling.WebsiteCrawler"/>; when no implementation is registered, URL import is reported as unavailable
/// and nothing is enqueued.
/// </summary>
public interface IWebsiteCrawler
{
    /// <summary>
    /// Crawls from <paramref name="start"/> (absolute http/https). Reports pages read so far through
    /// <paramref name="pagesRead"/>. Throws <see cref="DocumentExtractionException"/> with an owner-readable
    /// message when the site cannot be read at all (unreachable, refused by robots.txt, no text).
    /// </summary>
    Task<IReadOnlyList<ExtractedDocument>> CrawlAsync(Uri start, IProgress<int>? pagesRead, CancellationToken cancellationToken);
}

/// <summary>Puts knowledge processing on the background queue (Hangfire in the app; a direct runner in tests).</summary>
public interface IKnowledgeJobQueue
{
    /// <summary>Queues extraction, chunking and indexing of a file or URL document.</summary>
    void EnqueueIndex(Guid tenantId, Guid documentId);

    /// <summary>Queues embedding of the tenant's chunks that have no vector of the configured model (after FAQ edits).</summary>
    void EnqueueEmbedMissing(Guid tenantId);
}
