using Microsoft.Extensions.Options;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;

namespace Portal.Rag.Crawling;

/// <summary>
/// The ingestion's <see cref="IWebsiteCrawler"/>: runs <see cref="WebsiteCrawler"/> with the configured
/// <see cref="CrawlOptions"/> (configuration <c>Knowledge:Crawl</c>) and collects the pages it reads, reporting the
/// count after each page. Errors are the crawler's: <see cref="DocumentExtractionException"/> with an owner-readable
/// reason when the start address is invalid or private, or when not a single page could be read.
/// </summary>
/// <param name="crawler">The crawler (its <see cref="HttpClient"/> comes from the client factory).</param>
/// <param name="options">Depth, page, time and size bounds of a crawl.</param>
public sealed class CrawlingWebsiteImporter(WebsiteCrawler crawler, IOptions<CrawlOptions> options) : IWebsiteCrawler
{
    /// <summary>Configuration section of the crawl bounds.</summary>
    public const string SectionName = "Knowledge:Crawl";

    /// <inheritdoc />
    public async Task<IReadOnlyList<ExtractedDocument>> CrawlAsync(Uri start, IProgress<int>? pagesRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var pages = new List<ExtractedDocument>();
        await foreach (var page in crawler.CrawlAsync(start, options.Value, cancellationToken))
        {
            pages.Add(page);
            pagesRead?.Report(pages.Count);
        }

        return pages;
    }
}
