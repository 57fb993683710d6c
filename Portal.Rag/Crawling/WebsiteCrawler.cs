using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Html.Dom;
using Portal.Rag.Extraction;

namespace Portal.Rag.Crawling;

/// <summary>
/// Reads a business's website: from the start address, follows same-site links breadth first up to
/// <see cref="CrawlOptions.MaxDepth"/> and <see cref="CrawlOptions.MaxPages"/>, one request at a
/// time. Honours robots.txt (RFC 9309, see <see cref="RobotsTxt"/>) and <c>&lt;meta name="robots"&gt;</c>
/// noindex/nofollow; reads only text/html and application/xhtml+xml; a page that fails, is too big or
/// slower than <see cref="CrawlOptions.RequestTimeout"/> is skipped without ending the crawl; when
/// <see cref="CrawlOptions.TimeBudget"/> runs out the crawl ends with what it has. Addresses are
/// normalised (fragment removed, scheme and host lower-cased, default port dropped) so a page is read
/// once. "Same site" is the start host (a leading "www." ignored) on the same port, http or https.
/// </summary>
/// <remarks>
/// Against server-side request forgery every address is checked by <see cref="PublicAddressGuard"/>: the start address
/// and every redirect hop before the request, and, when <paramref name="httpClient"/> is built on
/// <see cref="PublicAddressGuard.CreateHandler"/> (as registered by <c>AddPortalRag</c>), every connection at connect
/// time to the very address checked. Redirects are followed here, hop by hop, never by the handler.
/// </remarks>
/// <param name="httpClient">Client for every request, built on <see cref="PublicAddressGuard.CreateHandler"/>; its own timeout should be longer than <see cref="CrawlOptions.RequestTimeout"/>.</param>
/// <param name="timeProvider">Clock for the time budget and timeouts (defaults to the system clock).</param>
/// <param name="guard">Address checks (defaults to system DNS).</param>
public sealed class WebsiteCrawler(HttpClient httpClient, TimeProvider? timeProvider = null, PublicAddressGuard? guard = null)
{
    /// <summary>The product token this crawler answers to in robots.txt.</summary>
    public const string DefaultProductToken = "PortalBot";

    /// <summary>User-Agent header sent with every request (RFC 9309 §2.2.1: the product token comes first).</summary>
    public const string UserAgent = "PortalBot/1.0 (+knowledge-base crawler)";

    private static readonly HashSet<string> SkippedExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".zip", ".gz", ".rar", ".7z", ".mp3", ".mp4",
        ".mov", ".avi", ".wav", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".css", ".js", ".json", ".xml", ".woff", ".woff2", ".ttf",
    };

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly PublicAddressGuard _guard = guard ?? new PublicAddressGuard();

    /// <summary>
    /// The text of every page read, in crawl order, each with its <see cref="ExtractedDocument.SourceUri"/>.
    /// Throws <see cref="DocumentExtractionException"/> for an invalid or private start address, or when
    /// not a single page could be read (the message gives the start page's reason).
    /// </summary>
    public async IAsyncEnumerable<ExtractedDocument> CrawlAsync(Uri start, CrawlOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? firstSkip = null;
        var read = 0;
        await foreach (var outcome in CrawlPagesAsync(start, options, cancellationToken))
        {
            if (outcome.Document is { } document)
            {
                read++;
                yield return document;
            }
            else
            {
                firstSkip ??= outcome.SkipReason;
            }
        }

        if (read == 0)
        {
            throw new DocumentExtractionException($"The website {start} could not be read: {firstSkip ?? "no page had text"}.");
        }
    }

    /// <summary>Every address visited or refused, read or skipped with a reason, in crawl order. Throws <see cref="DocumentExtractionException"/> for an invalid or private start address.</summary>
    public async IAsyncEnumerable<CrawlOutcome> CrawlPagesAsync(Uri start, CrawlOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new CrawlOptions();
        options.Validate();
        var startUri = Normalize(start) ?? throw new DocumentExtractionException($"'{start}' is not a web address. Enter one starting with http:// or https://.");
        await EnsurePublicAsync(startUri, options.AllowLoopback, cancellationToken);

        using var budget = new CancellationTokenSource(options.TimeBudget, _time);
        var robots = await LoadRobotsAsync(startUri, options, budget.Token, cancellationToken);
        var queue = new Queue<(Uri Uri, int Depth)>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { startUri.AbsoluteUri };
        queue.Enqueue((startUri, 0));
        var requested = 0;

        while (queue.Count > 0 && requested < options.MaxPages && !budget.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (uri, depth) = queue.Dequeue();
            if (!robots.IsAllowed(uri.PathAndQuery))
            {
                yield return new CrawlOutcome(uri, depth, null, "blocked by the site's robots.txt");
                continue;
            }

            requested++;
            var page = await FetchAsync(uri, depth, startUri, options, budget.Token, cancellationToken);
            if (page.BudgetExhausted)
            {
                yield break;
            }

            if (page.FinalUri is { } final)
            {
                seen.Add(final.AbsoluteUri);
            }

            yield return page.Outcome;
            if (depth >= options.MaxDepth)
            {
                continue;
            }

            foreach (var link in page.Links)
            {
                if (seen.Add(link.AbsoluteUri))
                {
                    queue.Enqueue((link, depth + 1));
                }
            }
        }
    }

    /// <summary>
    /// The address with its fragment removed, scheme and host lower-cased, default port dropped and an
    /// empty path made "/"; null for anything but an absolute http or https address.
    /// </summary>
    public static Uri? Normalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var builder = new UriBuilder(uri) { Fragment = string.Empty };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    /// <summary>True when <paramref name="candidate"/> is on the site of <paramref name="start"/>: same host (leading "www." ignored) and port.</summary>
    public static bool IsSameSite(Uri start, Uri candidate)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(candidate);
        static string Host(Uri u) => u.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? u.Host[4..] : u.Host;
        var samePort = candidate.Port == start.Port || (candidate.IsDefaultPort && start.IsDefaultPort);
        return string.Equals(Host(start), Host(candidate), StringComparison.OrdinalIgnoreCase) && samePort;
    }

    private async Task<RobotsTxt> LoadRobotsAsync(Uri start, CrawlOptions options, CancellationToken budget, CancellationToken cancellationToken)
    {
        var robotsUri = new Uri(start, "/robots.txt");
        using var timeout = new CancellationTokenSource(options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget, timeout.Token);
        try
        {
            using var response = (await SendAsync(robotsUri, "text/plain", start, options, linked.Token)).Response;
            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500)
            {
                return RobotsTxt.AllowAll;
            }

            if (!response.IsSuccessStatusCode)
            {
                return RobotsTxt.DisallowAll;
            }

            // RFC 9309 §2.5: crawlers parse at least the first 500 KiB.
            await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
            var bytes = new byte[500 * 1024];
            var total = 0;
            int n;
            while (total < bytes.Length && (n = await body.ReadAsync(bytes.AsMemory(total), linked.Token)) > 0)
            {
                total += n;
            }

            return RobotsTxt.Parse(Encoding.UTF8.GetString(bytes, 0, total), options.ProductToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RobotsTxt.DisallowAll;
        }
        catch (RedirectRefusedException)
        {
            // RFC 9309 §2.3.1.2: a robots.txt that cannot be reached through its redirects is "unavailable" (like a 4xx).
            return RobotsTxt.AllowAll;
        }
        catch (Exception ex) when (ex is HttpRequestException or PrivateAddressException or SocketException)
        {
            return RobotsTxt.DisallowAll;
        }
    }

    private async Task<FetchedPage> FetchAsync(Uri uri, int depth, Uri start, CrawlOptions options, CancellationToken budget, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget, timeout.Token);
        try
        {
            var (sent, final) = await SendAsync(uri, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", start, options, linked.Token);
            using var response = sent;

            if (!response.IsSuccessStatusCode)
            {
                return Skipped(uri, depth, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not ("text/html" or "application/xhtml+xml"))
            {
                return Skipped(uri, depth, $"not a web page ({mediaType ?? "no content type"})");
            }

            if (response.Content.Headers.ContentLength > options.MaxPageBytes)
            {
                return Skipped(uri, depth, $"larger than {BoundedReader.FormatSize(options.MaxPageBytes)}");
            }

            byte[] bytes;
            await using (var body = await response.Content.ReadAsStreamAsync(linked.Token))
            {
                bytes = await BoundedReader.ReadAsync(body, uri.AbsolutePath, options.MaxPageBytes, linked.Token);
            }

            var html = Decode(bytes, response.Content.Headers.ContentType);
            var document = HtmlExtractor.Parse(html);
            var robots = RobotsMeta(document);
            var links = robots.NoFollow ? [] : Links(document, final, start);
            if (robots.NoIndex)
            {
                return new FetchedPage(new CrawlOutcome(uri, depth, null, "the page asks not to be indexed (meta robots noindex)"), links, final, false);
            }

            var extracted = HtmlExtractor.Extract(document, final.AbsolutePath, final);
            return new FetchedPage(new CrawlOutcome(final, depth, extracted, extracted is null ? "the page has no text" : null), links, final, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            return new FetchedPage(new CrawlOutcome(uri, depth, null, "the crawl ran out of time"), [], null, true);
        }
        catch (OperationCanceledException)
        {
            return Skipped(uri, depth, $"timed out after {options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (DocumentExtractionException)
        {
            return Skipped(uri, depth, $"larger than {BoundedReader.FormatSize(options.MaxPageBytes)}");
        }
        catch (RedirectRefusedException ex)
        {
            return Skipped(uri, depth, ex.Message);
        }
        catch (Exception ex) when (ex is PrivateAddressException || ex.InnerException is PrivateAddressException)
        {
            return Skipped(uri, depth, "it is on a private network");
        }
        catch (SocketException)
        {
            return Skipped(uri, depth, "its address could not be found");
        }
        catch (HttpRequestException ex)
        {
            return Skipped(uri, depth, $"could not be fetched ({ex.HttpRequestError})");
        }
    }

    /// <summary>
    /// Sends a GET for <paramref name="uri"/> and follows up to <see cref="CrawlOptions.MaxRedirects"/> redirects (RFC 9110
    /// §15.4) itself: each hop must stay on the site of <paramref name="start"/> and its host is checked by the guard before
    /// it is requested. Returns the final response (not a redirect) and its address. Throws
    /// <see cref="RedirectRefusedException"/> for an off-site, non-web or endless redirect, <see cref="PrivateAddressException"/>
    /// for a hop on a private network.
    /// </summary>
    private async Task<(HttpResponseMessage Response, Uri Final)> SendAsync(Uri uri, string accept, Uri start, CrawlOptions options, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = NewRequest(current, accept, options);
            var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
            {
                return (response, current);
            }

            response.Dispose();
            if (hop >= options.MaxRedirects)
            {
                throw new RedirectRefusedException($"redirects more than {options.MaxRedirects} times");
            }

            var next = Normalize(location.IsAbsoluteUri ? location : new Uri(current, location))
                ?? throw new RedirectRefusedException("redirects to an address that is not a web page");
            if (!IsSameSite(start, next))
            {
                throw new RedirectRefusedException($"redirects off the site to {next.Host}");
            }

            await _guard.ResolveAsync(next.Host, options.AllowLoopback, cancellationToken);
            current = next;
        }
    }

    private static FetchedPage Skipped(Uri uri, int depth, string reason) => new(new CrawlOutcome(uri, depth, null, reason), [], null, false);

    private static HttpRequestMessage NewRequest(Uri uri, string accept, CrawlOptions options)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Options.Set(PublicAddressGuard.AllowLoopbackOption, options.AllowLoopback);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static string Decode(byte[] bytes, MediaTypeHeaderValue? contentType)
    {
        var charset = contentType?.CharSet?.Trim('"', '\'');
        if (!string.IsNullOrEmpty(charset))
        {
            try
            {
                return Encoding.GetEncoding(charset).GetString(bytes);
            }
            catch (ArgumentException)
            {
                // Unknown charset: fall through to UTF-8.
            }
        }

        return TextDecoding.Decode(bytes, "page.html");
    }

    private static (bool NoIndex, bool NoFollow) RobotsMeta(IHtmlDocument document)
    {
        var content = string.Join(",", document.QuerySelectorAll("meta[name]")
            .Where(m => m.GetAttribute("name") is { } n && (n.Equals("robots", StringComparison.OrdinalIgnoreCase) || n.Equals(DefaultProductToken, StringComparison.OrdinalIgnoreCase)))
            .Select(m => m.GetAttribute("content") ?? string.Empty)).ToLowerInvariant();
        return (content.Contains("noindex", StringComparison.Ordinal) || content.Contains("none", StringComparison.Ordinal),
            content.Contains("nofollow", StringComparison.Ordinal) || content.Contains("none", StringComparison.Ordinal));
    }

    private static List<Uri> Links(IHtmlDocument document, Uri page, Uri start)
    {
        var baseUri = document.QuerySelector("base[href]")?.GetAttribute("href") is { } b && Uri.TryCreate(page, b, out var parsed) ? parsed : page;
        var links = new List<Uri>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            var href = anchor.GetAttribute("href")!.Trim();
            if (href.Length == 0 || href.StartsWith('#')
                || (anchor.GetAttribute("rel") ?? string.Empty).Contains("nofollow", StringComparison.OrdinalIgnoreCase)
                || !Uri.TryCreate(baseUri, href, out var absolute)
                || Normalize(absolute) is not { } link
                || !IsSameSite(start, link)
                || SkippedExtensions.Contains(Path.GetExtension(link.AbsolutePath)))
            {
                continue;
            }

            links.Add(link);
        }

        return links;
    }

    /// <summary>Refuses a start host that is, or resolves to, an address <see cref="NetworkAddressPolicy"/> refuses.</summary>
    private async Task EnsurePublicAsync(Uri uri, bool allowLoopback, CancellationToken cancellationToken)
    {
        try
        {
            await _guard.ResolveAsync(uri.Host, allowLoopback, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new DocumentExtractionException($"The website {uri.Host} could not be found. Check the address.", ex);
        }
        catch (PrivateAddressException ex)
        {
            throw new DocumentExtractionException($"The website {uri.Host} is on a private network and cannot be read.", ex);
        }
    }

    /// <summary>A redirect the crawl does not follow; the message is the owner-readable skip reason.</summary>
    private sealed class RedirectRefusedException(string reason) : Exception(reason);

    private sealed record FetchedPage(CrawlOutcome Outcome, List<Uri> Links, Uri? FinalUri, bool BudgetExhausted);
}
