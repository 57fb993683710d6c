using Microsoft.Extensions.Time.Testing;
using Portal.Fakes.Web;
using Portal.Rag.Crawling;
using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Crawling;

public sealed class WebsiteCrawlerTests
{
    private static readonly CrawlOptions Local = new() { AllowLoopback = true, RequestTimeout = TimeSpan.FromSeconds(1), MaxDepth = 2 };

    /// <summary>A bound on waiting for the crawl or the site: reached only if the crawler hangs.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Task<List<CrawlOutcome>> Crawl(LocalSite site, CrawlOptions options, TimeSpan? advanceOnSlow = null) =>
        RunAsync(site, crawler => crawler.CrawlPagesAsync(site.Root, options), advanceOnSlow ?? options.RequestTimeout);

    /// <summary>
    /// Runs a crawl with its timeouts on a fake clock, moved on by <paramref name="advanceOnSlow"/> once, when the crawler
    /// has asked for the site's slow page (which the site holds until the crawler gives up). Every other page answers
    /// however long a loaded machine takes, and the slow page times out only after it was asked for.
    /// </summary>
    private static async Task<List<T>> RunAsync<T>(LocalSite site, Func<WebsiteCrawler, IAsyncEnumerable<T>> crawl, TimeSpan advanceOnSlow)
    {
        var time = new FakeTimeProvider();
        using var http = new HttpClient();
        var run = CollectAsync(crawl(new WebsiteCrawler(http, time)));
        using var bound = new CancellationTokenSource(Bound);
        while (!run.IsCompleted && !site.Requested.Contains("/slow"))
        {
            await Task.WhenAny(run, Task.Delay(10, bound.Token));
            bound.Token.ThrowIfCancellationRequested();
        }

        if (!run.IsCompleted)
        {
            time.Advance(advanceOnSlow);
        }

        return await run.WaitAsync(Bound);
    }

    private static async Task<List<T>> CollectAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Fact]
    public async Task Crawl_FollowsSameSiteLinks_RespectsRobots_SkipsSlowAndNonHtml()
    {
        await using var site = await LocalSite.StartAsync();

        var outcomes = await Crawl(site, Local);
        var read = outcomes.Where(o => o.Document is not null).ToDictionary(o => o.Uri.AbsolutePath, o => o);
        var skipped = outcomes.Where(o => o.Document is null).ToDictionary(o => o.Uri.AbsolutePath, o => o.SkipReason);

        Assert.Equal(["/", "/about", "/menu", "/private/open-day", "/level1", "/level2"], read.Keys);
        Assert.Equal("blocked by the site's robots.txt", skipped["/private/staff"]);
        Assert.Equal("timed out after 1 s", skipped["/slow"]);
        Assert.Equal("not a web page (application/pdf)", skipped["/price-sheet"]);
        Assert.DoesNotContain("/private/staff", site.Requested);
        Assert.DoesNotContain("/level3", site.Requested);
        Assert.DoesNotContain("/files/menu.pdf", site.Requested);
        Assert.DoesNotContain("/nofollow", site.Requested);
        Assert.Equal(1, site.Requested.Count(p => p == "/menu"));
        Assert.Equal(1, site.Requested.Count(p => p == "/robots.txt"));
        Assert.All(site.UserAgents, ua => Assert.StartsWith("PortalBot/", ua, StringComparison.Ordinal));
        Assert.DoesNotContain(outcomes, o => o.Uri.Host == "example.org" || o.Uri.Fragment.Length > 0);

        var menu = read["/menu"].Document!;
        Assert.Equal(new Uri(site.Root, "/menu"), menu.SourceUri);
        Assert.Equal("Menu", menu.Title);
        Assert.Contains(menu.Sections, s => s.Question == "Do you have vegan options?" && s.Text == "Yes, oat milk and a vegan bowl.");
        Assert.Equal(2, read["/level2"].Depth);
        var home = read["/"].Document!;
        Assert.DoesNotContain(home.Sections, s => s.Text.Contains("About", StringComparison.Ordinal) || s.Text.Contains('©', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crawl_DepthZero_ReadsOnlyTheStartPage()
    {
        await using var site = await LocalSite.StartAsync();

        var outcomes = await Crawl(site, Local with { MaxDepth = 0 });

        Assert.Equal("/", Assert.Single(outcomes).Uri.AbsolutePath);
    }

    [Fact]
    public async Task Crawl_PageLimit_StopsRequesting()
    {
        await using var site = await LocalSite.StartAsync();

        var outcomes = await Crawl(site, Local with { MaxPages = 2 });

        Assert.Equal(["/", "/about"], outcomes.Select(o => o.Uri.AbsolutePath));
        Assert.Equal(["/robots.txt", "/", "/about"], site.Requested);
    }

    [Fact]
    public async Task Crawl_TimeBudget_EndsWithPagesReadSoFar()
    {
        await using var site = await LocalSite.StartAsync();
        var options = Local with { RequestTimeout = TimeSpan.FromSeconds(20), TimeBudget = TimeSpan.FromSeconds(1.5), MaxDepth = 1 };

        // The budget runs out while the crawler waits for the slow page, well before that page's own 20 s timeout.
        var outcomes = await Crawl(site, options, advanceOnSlow: options.TimeBudget);

        Assert.Contains(outcomes, o => o.Uri.AbsolutePath == "/" && o.Document is not null);
        Assert.DoesNotContain(outcomes, o => o.Uri.AbsolutePath is "/slow" or "/price-sheet" or "/level1");
    }

    [Fact]
    public async Task Crawl_NoRobotsFile_AllowsEverything()
    {
        await using var site = await LocalSite.StartAsync(robots: null);

        var outcomes = await Crawl(site, Local with { MaxDepth = 1 });

        Assert.Contains(outcomes, o => o.Uri.AbsolutePath == "/private/staff" && o.Document is not null);
    }

    [Fact]
    public async Task CrawlAsync_YieldsDocuments_AndRefusesPrivateAddressesByDefault()
    {
        await using var site = await LocalSite.StartAsync();
        var documents = await RunAsync(site, crawler => crawler.CrawlAsync(site.Root, Local with { MaxDepth = 1 }), Local.RequestTimeout);

        Assert.All(documents, d => Assert.NotNull(d.SourceUri));
        Assert.Equal(["/", "/about", "/menu", "/private/open-day", "/level1"], documents.Select(d => d.SourceUri!.AbsolutePath));

        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(async () =>
        {
            await foreach (var unused in new WebsiteCrawler(http).CrawlAsync(site.Root))
            {
            }
        });
        Assert.Equal("The website 127.0.0.1 is on a private network and cannot be read.", error.Message);
        // The refused crawl sent nothing: the only request for "/" is the first crawl's.
        Assert.Equal(1, site.Requested.Count(p => p == "/"));
    }

    [Fact]
    public async Task CrawlAsync_StartPageFails_SaysWhy()
    {
        await using var site = await LocalSite.StartAsync(robots: "User-agent: PortalBot\nDisallow: /\n\nUser-agent: *\nAllow: /");
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(async () =>
        {
            await foreach (var unused in new WebsiteCrawler(http).CrawlAsync(site.Root, Local))
            {
            }
        });

        Assert.Equal($"The website {site.Root} could not be read: blocked by the site's robots.txt.", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/")]
    [InlineData("mailto:owner@example.com")]
    public async Task CrawlAsync_NotAWebAddress_Refused(string address)
    {
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(async () =>
        {
            await foreach (var unused in new WebsiteCrawler(http).CrawlAsync(new Uri(address)))
            {
            }
        });
        Assert.EndsWith("Enter one starting with http:// or https://.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP://Example.COM:80/a/b?x=1#top", "http://example.com/a/b?x=1")]
    [InlineData("https://example.com", "https://example.com/")]
    [InlineData("https://example.com:8443/p#", "https://example.com:8443/p")]
    public void Normalize_DropsFragmentAndDefaultPort(string input, string expected) =>
        Assert.Equal(expected, WebsiteCrawler.Normalize(new Uri(input))!.AbsoluteUri);

    [Theory]
    [InlineData("https://www.harbor.test/", "http://harbor.test/menu", true)]
    [InlineData("https://harbor.test/", "https://shop.harbor.test/", false)]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5001/", false)]
    public void IsSameSite(string start, string candidate, bool expected) =>
        Assert.Equal(expected, WebsiteCrawler.IsSameSite(new Uri(start), new Uri(candidate)));
}
