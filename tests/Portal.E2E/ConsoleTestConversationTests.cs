using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.E2E;

/// <summary>
/// The owner's console in a real browser: opening it stores nothing, the first message opens a test
/// conversation, "Things to try" are the salon's own, and the dashboard's booking rate leaves the test out.
/// </summary>
public sealed class ConsoleTestConversationTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private async Task<List<Conversation>> ConversationsAsync(Guid tenantId) => await app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Conversations.AsNoTracking().ToListAsync();
    });

    [Fact]
    public async Task OpeningTheConsole_StoresNothing_TheFirstMessageOpensATestConversation_LeftOutOfTheBookingRate()
    {
        var tenant = await app.CreateTenantAsync("Shear Joy Salon", Industry.Salon);
        var page = await app.NewPageAsync();
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#email", tenant.Email);
            await page.FillAsync("#password", tenant.Password);
            await page.ClickAsync("button[type=submit]");
            await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));

            await page.GotoAsync("/console");
            // The greeting shows once the circuit is up: the console is open.
            await page.Locator("[data-testid=agent-message][data-complete=true]").First.WaitForAsync();
            var suggestions = page.Locator("[data-testid=suggestion]");
            await suggestions.First.WaitForAsync();
            var texts = string.Join(" | ", await suggestions.AllInnerTextsAsync());
            Assert.Contains("haircut", texts, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("cleaning", texts, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("whitening", texts, StringComparison.OrdinalIgnoreCase);
            await Shot(page, "console-opened");
            Assert.Empty(await ConversationsAsync(tenant.TenantId));

            // A suggestion goes into the message box; sending it opens the conversation.
            await page.Locator("[data-testid=suggestion][data-kind=Hours]").ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('#chat-input').value.startsWith('What time do you close')");
            await page.ClickAsync("[data-testid=chat-send]");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=agent-message][data-complete=true]').length > 1");
            var stored = Assert.Single(await ConversationsAsync(tenant.TenantId));
            Assert.True(stored.IsTest);
            Assert.Equal(Channel.Test, stored.Channel);
            await Shot(page, "console-first-message");

            await page.GotoAsync("/");
            var rate = page.Locator("[data-testid=kpi-booking-rate]");
            await rate.WaitForAsync();
            var text = await rate.InnerTextAsync();
            Assert.Contains("0 of 0 conversations", text, StringComparison.Ordinal);
            Assert.Contains("1 test not counted", text, StringComparison.Ordinal);
            await page.Locator("[data-testid=dashboard-conversation]", new() { HasTextString = "Test chat" }).WaitForAsync();
            // The circuit loads the page again once interactive: shoot when that load is done.
            await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=loading]') && document.querySelector('[data-testid=kpi-booking-rate]')");
            await Shot(page, "dashboard-tests-apart");

            await page.GotoAsync("/conversations");
            await page.Locator("[data-testid=conversation-channel]", new() { HasTextString = "Test chat" }).WaitForAsync();
            await Shot(page, "conversations-test-label");
        }
        finally
        {
            await page.Context.DisposeAsync();
        }
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"metrics-{name}.png"), FullPage = true });
}
