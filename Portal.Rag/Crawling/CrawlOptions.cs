using Portal.Rag.Extraction;

namespace Portal.Rag.Crawling;

/// <summary>Bounds of one website crawl (configuration <c>Knowledge:Crawl</c>).</summary>
public sealed record CrawlOptions
{
    /// <summary>Links followed from the start page: 0 reads only the start page (default 2).</summary>
    public int MaxDepth { get; init; } = 2;

    /// <summary>Most pages requested, the start page included; robots.txt is not counted (default 30).</summary>
    public int MaxPages { get; init; } = 30;

    /// <summary>Time allowed for one page, headers and body (default 10 s); a slower page is skipped.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the whole crawl (default 2 min); when it runs out the crawl ends with the pages read so far.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest page body read, bytes (default 2 MiB); a larger page is skipped.</summary>
    public long MaxPageBytes { get; init; } = 2L * 1024 * 1024;

    /// <summary>Product token matched against robots.txt user-agent lines (RFC 9309 §2.2.1).</summary>
    public string ProductToken { get; init; } = WebsiteCrawler.DefaultProductToken;

    /// <summary>
    /// Test-only: allow sites on loopback addresses (127/8, ::1). Off by default so an owner cannot make the server read
    /// its own services (SSRF); tests crawling a fake site on 127.0.0.1 turn it on. Every other private, link-local,
    /// unique-local or metadata address stays refused (<see cref="NetworkAddressPolicy"/>).
    /// </summary>
    public bool AllowLoopback { get; init; }

    /// <summary>Redirects followed for one address (default 5, as RFC 9309 §2.3.1.2 asks for robots.txt); each hop is checked again.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Throws <see cref="DocumentExtractionException"/> when a bound is out of range.</summary>
    public void Validate()
    {
        if (MaxDepth < 0 || MaxPages < 1 || RequestTimeout <= TimeSpan.Zero || TimeBudget <= TimeSpan.Zero || MaxPageBytes < 1 || MaxRedirects < 0 || string.IsNullOrWhiteSpace(ProductToken))
        {
            throw new DocumentExtractionException("The crawl settings are invalid: depth must be 0 or more, pages, timeouts and size above 0.");
        }
    }
}

/// <summary>What happened to one address during a crawl.</summary>
/// <param name="Uri">The address (normalised: no fragment).</param>
/// <param name="Depth">Links followed from the start page to reach it (0 for the start page).</param>
/// <param name="Document">The page's text, or null when it was skipped.</param>
/// <param name="SkipReason">Why the page was skipped, for the owner ("blocked by robots.txt", "timed out after 10 s"); null when read.</param>
public sealed record CrawlOutcome(Uri Uri, int Depth, ExtractedDocument? Document, string? SkipReason);
