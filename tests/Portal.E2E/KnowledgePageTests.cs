using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;
using Portal.Rag.Ingestion;

namespace Portal.E2E;

/// <summary>The app on Kestrel with the Hangfire job server on (uploads are indexed for real), plus headless Chromium.</summary>
public sealed class KnowledgeBrowserFixture : PortalAppFactory
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    protected override bool UseRealServer => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:RunServer", "true");
    }
}

/// <summary>The knowledge page in a browser: upload a file, watch it become ready, ask a question, see the answer and its chunks.</summary>
public sealed class KnowledgePageTests(KnowledgeBrowserFixture app) : IClassFixture<KnowledgeBrowserFixture>
{
    private const string Guide = """
        # Visiting Harbor View Dental

        ## Bicycles
        Bike racks are at the Elm Street entrance, next to the pharmacy. Bring your own lock.

        ## Pets
        Only service animals may come into the treatment rooms. Dogs can wait with a companion in the garden.

        Q: Do you validate garage tickets?
        A: Yes, the front desk validates tickets for the Elm Street garage for up to two hours.
        """;

    [Fact]
    public async Task Owner_UploadsAFile_WaitsForReady_AndAsksTheKnowledgeBase()
    {
        var tenant = await app.CreateTenantAsync("Harbor View Dental");
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#email", tenant.Email);
            await page.FillAsync("#password", tenant.Password);
            await page.ClickAsync("button[type=submit]");
            await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await page.GotoAsync("/knowledge");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid=documents-table]").WaitForAsync();

            var file = Path.Combine(Path.GetTempPath(), $"visiting-{Guid.NewGuid():N}.md");
            await File.WriteAllTextAsync(file, Guide);
            var row = page.Locator("[data-testid=document-row]", new() { HasTextString = "visiting-" });
            // MudFileUpload keeps a used input hidden (d-none) beside the fresh one it renders for the next pick: target the fresh one.
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('input[type=file]:not(.d-none)')].pop()?._blazorInputFileNextFileId !== undefined");
            for (var attempt = 0; await row.CountAsync() == 0 && attempt < 4; attempt++)
            {
                await page.Locator("input[type=file]:not(.d-none):not([disabled])").Last.SetInputFilesAsync(file);
                await Task.Delay(3000);
            }

            // The job server picks the upload up when it polls its queue; so the test does not wait on the poll interval,
            // documents still queued are indexed here too (the indexer claims a document once). The page refreshes itself.
            await row.WaitForAsync();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var queued = await db.KnowledgeDocuments.IgnoreQueryFilters().Where(d => d.Status == KnowledgeStatus.Queued)
                    .Select(d => new { d.TenantId, d.Id }).ToListAsync();
                var indexer = scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>();
                foreach (var document in queued)
                {
                    await indexer.RunAsync(document.TenantId, document.Id, CancellationToken.None);
                }
            }

            var ready = page.Locator("tr", new() { Has = row }).Locator("[data-testid=document-status]", new() { HasTextString = "Ready" });
            await ready.WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs });

            await page.FillAsync("#ask-input", "where can I leave my bike?");
            await page.ClickAsync("[data-testid=ask-submit]");
            var answer = page.Locator("[data-testid=ask-answer]");
            await answer.WaitForAsync();
            Assert.Contains("Elm Street entrance", await answer.InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await page.Locator("[data-testid=ask-chunk]").CountAsync() >= 1);
            await Shot(page, "12-knowledge");

            await page.Locator("tr", new() { Has = row }).Locator("[data-testid=document-preview]").ClickAsync();
            await page.Locator("[data-testid=chunk]").First.WaitForAsync();
            Assert.True(await page.Locator("[data-testid=chunk]").CountAsync() >= 3);
            await Shot(page, "13-knowledge-chunks");
        }
        catch
        {
            await Shot(page, "knowledge-failure");
            throw;
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });
}
