using Microsoft.Playwright;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.E2E;

/// <summary>The app served on Kestrel (a random loopback port) plus headless Debian Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : PortalAppFactory
{
    /// <summary>
    /// How long a wait for a page condition may take (ms) before the test fails: long, because CI runs beside other builds
    /// on two cores (a sign-in or a first render under load ~40 took over 30 s); a wait that succeeds returns at once.
    /// </summary>
    public const float WaitTimeoutMs = 120_000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    protected override bool UseRealServer => true;

    public static string ScreenshotDirectory { get; } = Path.Combine(FindRepositoryRoot(), "artifacts", "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Playwright's connection to its driver is made off xunit's synchronization context (see PortalAppFactory), so the
        // driver's messages (navigations, responses) are not queued behind other tests' work on that context's two threads.
        _playwright = await Task.Run(Playwright.CreateAsync);
        Browser = await Task.Run(() => _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        }));
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// Playwright's <c>Expect</c> with <see cref="WaitTimeoutMs"/> as its timeout. The default is set here, in the calling
    /// test's own flow, because a default set in the fixture's initialization did not reach the tests (they waited 5 s).
    /// </summary>
    public static ILocatorAssertions Expect(ILocator locator)
    {
        Assertions.SetDefaultExpectTimeout(WaitTimeoutMs);
        return Assertions.Expect(locator);
    }

    /// <inheritdoc cref="Expect(ILocator)"/>
    public static IPageAssertions Expect(IPage page)
    {
        Assertions.SetDefaultExpectTimeout(WaitTimeoutMs);
        return Assertions.Expect(page);
    }

    /// <summary>
    /// Waits until the page shows a document at a URL matching <paramref name="url"/> that has finished loading.
    /// Playwright's own URL and load-state waits subscribe to navigation events after looking at the page once; on a busy
    /// machine a navigation that landed in between was missed, and the wait ran out after 120 s with the right page on
    /// screen (five times in December 2026, after a sign-in or an enrol POST answered by a redirect). So this asks the
    /// browser itself, every 100 ms, for the document's <c>location.href</c> and <c>readyState</c>
    /// (https://html.spec.whatwg.org/multipage/dom.html#current-document-readiness): a state, which cannot be missed.
    /// </summary>
    /// <param name="page">The page.</param>
    /// <param name="url">Which URL counts as arrived (the whole URL, query included).</param>
    /// <exception cref="TimeoutException">No such document finished loading within <see cref="WaitTimeoutMs"/>.</exception>
    public static async Task WaitForUrlAsync(IPage page, Func<string, bool> url)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMilliseconds(WaitTimeoutMs));
        try
        {
            while (await DocumentAsync(page, bound.Token) is not { ReadyState: "complete" } document || !url(document.Href))
            {
                await Task.Delay(100, bound.Token);
            }
        }
        catch (OperationCanceledException ex) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException(await DescribeAsync(page, "wait-timeout"), ex);
        }
    }

    /// <summary>The main frame's document as the browser reports it, or null while one document replaces another.</summary>
    private static async Task<DocumentState?> DocumentAsync(IPage page, CancellationToken cancellationToken)
    {
        try
        {
            // One question may wait for a document being replaced; it is asked again rather than waited on for long.
            var state = await page.EvaluateAsync<string>("() => location.href + '\\n' + document.readyState").WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return state.Split('\n') is [var href, var readyState] ? new DocumentState(href, readyState) : null;
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return null; // "Execution context was destroyed": the old document went away mid-evaluation
        }
    }

    private sealed record DocumentState(string Href, string ReadyState);

    /// <summary>
    /// What the page shows when a wait ran out: its URL, title, the text of any alert or validation message, and a
    /// full-page screenshot saved under <see cref="ScreenshotDirectory"/> (so a failure in CI says whether the page stayed,
    /// moved on, or showed an error).
    /// </summary>
    /// <param name="page">The page.</param>
    /// <param name="prefix">File-name prefix of the screenshot.</param>
    /// <returns>A one-paragraph description for the exception message.</returns>
    public static async Task<string> DescribeAsync(IPage page, string prefix)
    {
        var shot = Path.Combine(ScreenshotDirectory, $"{prefix}-{DateTime.UtcNow:HHmmss.fff}-{Guid.NewGuid():N}"[..40] + ".png");
        try
        {
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true, Timeout = 30_000 });
            var state = await page.EvaluateAsync<string>("""
                () => JSON.stringify({
                  readyState: document.readyState,
                  title: document.title,
                  messages: [...document.querySelectorAll('[role=alert], .validation-message, .mud-alert-message, [data-testid$=error]')].map(e => e.innerText.trim()).filter(t => t),
                  text: (document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 400)
                })
                """);
            return $"Waited {WaitTimeoutMs / 1000:0} s; the page is at {page.Url}: {state}. Screenshot: {shot}";
        }
        catch (PlaywrightException describing)
        {
            return $"Waited {WaitTimeoutMs / 1000:0} s; the page is at {page.Url} (could not be described: {describing.Message})";
        }
    }

    /// <inheritdoc cref="WaitForUrlAsync(IPage, Func{string, bool})"/>
    public static Task WaitForUrlAsync(IPage page, System.Text.RegularExpressions.Regex url) => WaitForUrlAsync(page, url.IsMatch);

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
