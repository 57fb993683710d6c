using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Rag.Ingestion;

namespace Portal.E2E;

/// <summary>
/// The walking skeleton end to end in headless Chromium: a new owner registers, walks the four
/// onboarding steps, books through the console, then finds the booking and the transcript.
/// </summary>
public sealed partial class OnboardingJourneyTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string Customer = "Jordan Tester";

    [Fact]
    public async Task NewOwner_Onboards_BooksThroughTheConsole_AndSeesBookingAndTranscript()
    {
        var page = await app.NewPageAsync();
        try
        {
            await JourneyAsync(page);
        }
        catch
        {
            await Shot(page, "failure");
            throw;
        }
    }

    private async Task JourneyAsync(IPage page)
    {

        // Register.
        await page.GotoAsync("/Account/Register");
        await page.FillAsync("#name", "Riley Owner");
        var ownerEmail = $"owner-{Guid.NewGuid():N}@e2e.example";
        await page.FillAsync("#email", ownerEmail);
        await page.FillAsync("#password", "E2e!Passw0rd");
        await page.ClickAsync("button[type=submit]");
        // Registration answers "check your email" whether or not the address is taken (no account enumeration); the new owner may sign in at once.
        await page.Locator("[data-testid=register-confirmation]").WaitForAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", ownerEmail);
        await page.FillAsync("#password", "E2e!Passw0rd");
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/onboarding$"));
        await Interactive(page);
        await Shot(page, "01-onboarding-business");

        // Step 1: business.
        await page.FillAsync("#business-name", "Harbor View Dental");
        await page.FillAsync("#business-address", "42 Harbor Road, Brooklyn, NY 11201");
        await page.Locator("[data-testid=template-services]").WaitForAsync();
        await page.ClickAsync("[data-testid=wizard-next]");

        // Step 2: number.
        await page.Locator("[data-testid=pick-number]").First.ClickAsync();
        await page.Locator("[data-testid=held-number]").WaitForAsync();
        await Shot(page, "02-onboarding-number");
        await page.ClickAsync("[data-testid=wizard-next]");

        // Step 3: agent (pre-filled from the template).
        await page.Locator("#agent-name").WaitForAsync();
        await Shot(page, "03-onboarding-agent");
        await page.ClickAsync("[data-testid=wizard-next]");

        // Step 4: knowledge: upload the FAQ file.
        await page.Locator("[data-testid=faq-add]").WaitForAsync();
        // The file input is wired up by script after it renders; if the first pick lands before that, pick again
        // (a second upload of the same content is recognised as a duplicate, so it can never be stored twice).
        // MudFileUpload keeps a used input hidden (d-none) beside the fresh one it renders for the next pick: target the fresh one.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('input[type=file]:not(.d-none)')].pop()?._blazorInputFileNextFileId !== undefined");
        // The picker is disabled while an upload runs: pick only when it is enabled, and give a busy machine time to store it.
        var picker = page.Locator("input[type=file]:not(.d-none):not([disabled])").Last;
        await UntilVisibleAsync(
            async () =>
            {
                await picker.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = BrowserFixture.WaitTimeoutMs });
                await picker.SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "bright-smile-faq.md"));
            },
            page.Locator("[data-testid=doc-item]"),
            timeoutMs: 10_000);
        await Shot(page, "04-onboarding-knowledge");
        await page.ClickAsync("[data-testid=wizard-finish]");
        await page.Locator("[data-testid=agent-live]").WaitForAsync();
        Assert.Matches(@"\(\d{3}\) 555-01\d\d", await page.Locator("[data-testid=live-number]").InnerTextAsync());
        await Shot(page, "05-agent-live");

        // Uploaded files are indexed by a Hangfire job; this fixture runs no job server, so run the queued jobs here.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var queued = await db.KnowledgeDocuments.IgnoreQueryFilters().Where(d => d.Status == KnowledgeStatus.Queued)
                .Select(d => new { d.TenantId, d.Id }).ToListAsync();
            Assert.NotEmpty(queued);
            var indexer = scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>();
            foreach (var document in queued)
            {
                Assert.Equal(KnowledgeStatus.Ready, await indexer.RunAsync(document.TenantId, document.Id, CancellationToken.None));
            }
        }

        // Book through the console: answer whatever the agent asks, whatever weekday this runs on.
        var reply = await SayAsync(page, "Hi, I'd like a cleaning tomorrow at 10am");
        for (var i = 0; i < 8 && !reply.Contains("You're all set", StringComparison.Ordinal); i++)
        {
            var answer = reply switch
            {
                _ when reply.Contains("your name", StringComparison.OrdinalIgnoreCase) => Customer,
                _ when reply.Contains("phone number", StringComparison.OrdinalIgnoreCase) => "(212) 555-0147",
                _ when reply.Contains("Shall I book", StringComparison.Ordinal) => "yes",
                _ when reply.Contains("Which would you prefer", StringComparison.Ordinal) || reply.Contains("Would that work", StringComparison.Ordinal) => "the first one",
                _ => throw new Xunit.Sdk.XunitException($"Unexpected agent reply: {reply}"),
            };
            reply = await SayAsync(page, answer);
        }

        Assert.Contains("You're all set", reply, StringComparison.Ordinal);
        await page.Locator("[data-testid=action-chip]", new() { HasText = "Booking created" }).WaitForAsync();
        await Shot(page, "06-console-booked");

        // The booking is on the Bookings page.
        await page.GotoAsync("/bookings");
        await Interactive(page);
        var row = page.Locator("[data-testid=booking-row]", new() { HasText = Customer });
        await UntilVisibleAsync(() => page.GetByRole(AriaRole.Tab, new() { Name = "List" }).ClickAsync(), row);
        Assert.Contains("Cleaning", await row.InnerTextAsync(), StringComparison.Ordinal);
        await Shot(page, "07-bookings");

        // The conversation, turn by turn, is on the Conversations page.
        await page.GotoAsync("/conversations");
        await Interactive(page);
        // The list re-renders once its interactive load finishes; a click on the prerendered row can be
        // lost, so click again while the address is still the list (Blazor navigates with pushState).
        const string onDetail = "() => /^\\/conversations\\/[0-9a-f-]{36}$/.test(location.pathname)";
        for (var attempt = 0; attempt < 4 && !await page.EvaluateAsync<bool>(onDetail); attempt++)
        {
            await page.Locator("[data-testid=conversation-row]", new() { HasText = Customer }).ClickAsync();
            try
            {
                await page.WaitForFunctionAsync(onDetail, null, new() { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // not navigated yet: try again
            }
        }

        Assert.Matches(ConversationUrl(), page.Url);
        var turns = page.Locator("[data-testid=turn]");
        await turns.Nth(8).WaitForAsync();
        Assert.True(await turns.CountAsync() >= 9);
        Assert.Contains("Hi, I'd like a cleaning tomorrow at 10am", await turns.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("You're all set", await turns.Last.InnerTextAsync(), StringComparison.Ordinal);
        await Shot(page, "08-transcript");

        // A second conversation: opening hours and a question from the uploaded FAQ file.
        await page.GotoAsync("/console");
        await Interactive(page);
        var hours = await SayAsync(page, "What are your opening hours?");
        Assert.Contains("Monday to Friday from 8 AM to 5 PM", hours, StringComparison.Ordinal);
        var faq = await SayAsync(page, "do you guys do invisalign?");
        Assert.Contains("Invisalign clear aligners", faq, StringComparison.Ordinal);
        await Shot(page, "09-console-answers");

        // The dashboard counts today's conversations, including both of the above.
        await page.GotoAsync("/");
        await Interactive(page);
        await page.GetByText("Harbor View Dental").First.WaitForAsync();
        await Shot(page, "10-dashboard");
        await page.GotoAsync("/business");
        await Interactive(page);
        await Shot(page, "11-business");
    }

    /// <summary>Sends a message in the console and returns the agent's complete reply.</summary>
    private static async Task<string> SayAsync(IPage page, string text)
    {
        var replies = page.Locator("[data-testid=agent-message][data-complete=true]");
        await replies.First.WaitForAsync();
        var before = await replies.CountAsync();
        await page.FillAsync("#chat-input", text);
        await page.ClickAsync("[data-testid=chat-send]");
        await page.WaitForFunctionAsync(
            "n => document.querySelectorAll('[data-testid=agent-message][data-complete=true]').length > n", before);
        return await replies.Nth(before).InnerTextAsync();
    }

    /// <summary>
    /// Performs <paramref name="act"/> until <paramref name="expected"/> shows (at most four tries, 5 s each):
    /// an action on an element that is re-rendered as the circuit finishes loading can be lost.
    /// </summary>
    private static async Task UntilVisibleAsync(Func<Task> act, ILocator expected, float timeoutMs = 5_000)
    {
        for (var attempt = 0; ; attempt++)
        {
            await act();
            try
            {
                // Each retry waits twice as long (5, 10, 20, 40 s by default): on a busy machine the first click's work may
                // still be running, and a second click must not be the only chance it gets.
                await expected.First.WaitForAsync(new() { Timeout = timeoutMs * (1 << attempt) });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Waits until the Blazor circuit is live, so typed input is bound and clicks are handled.</summary>
    private static Task Interactive(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    [GeneratedRegex("/conversations/[0-9a-f-]{36}$")]
    private static partial Regex ConversationUrl();
}
