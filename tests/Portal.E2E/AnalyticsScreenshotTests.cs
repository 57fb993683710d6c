using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.E2E;

/// <summary>
/// The analytics, "ask your data" and Customers pages in a real browser over a month of seeded calls and chats: the charts
/// draw (plotly.js served by the app itself), the customers list and one customer's timeline show, and screenshots are
/// saved to <c>docs/screenshots/</c>.
/// </summary>
public sealed class AnalyticsScreenshotTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static readonly string Docs = Path.GetFullPath(Path.Combine(BrowserFixture.ScreenshotDirectory, "..", "..", "docs", "screenshots"));

    private async Task<TestTenant> SeedAsync()
    {
        var tenant = await app.CreateTenantAsync("Maple Street Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var services = await db.Services.AsNoTracking().Where(s => s.PriceCents != null).ToListAsync();
            var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
            var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
            var random = new Random(5);
            ConversationOutcome[] outcomes = [ConversationOutcome.Booked, ConversationOutcome.Answered, ConversationOutcome.Booked, ConversationOutcome.MessageTaken, ConversationOutcome.Abandoned, ConversationOutcome.Answered];
            string[] intents = ["book", "price", "services", "hours", "location", "message"];
            string?[] callerIntents = ["Book", "Services", "Hours", null];
            var slot = DateTimeOffset.UtcNow.AddDays(60);
            for (int i = 0; i < 260; i++)
            {
                var local = today.AddDays(-random.Next(0, 30)).AddHours(random.Next(0, 10) < 8 ? random.Next(8, 19) : random.Next(19, 24)).AddMinutes(random.Next(0, 60));
                var at = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone));
                if (at > DateTimeOffset.UtcNow)
                {
                    continue;
                }

                var outcome = outcomes[random.Next(outcomes.Length)];
                var channel = random.NextDouble() < 0.65 ? Channel.Voice : Channel.WebChat;
                int duration = random.Next(40, 420);
                var conversation = new Conversation
                {
                    TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = channel, StartedAt = at, EndedAt = at.AddSeconds(duration), Outcome = outcome,
                    DurationSeconds = channel == Channel.Voice ? duration : null, CustomerPhone = $"+1212555{random.Next(1000, 1400)}", TurnCount = 2,
                    State = random.Next(3) == 0 ? """{"offered":["2026-12-01T09:00:00"]}""" : "{}",
                };
                db.Conversations.Add(conversation);
                db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = conversation.Id, Sequence = 0, Speaker = Speaker.Customer, Text = "Hello", Intent = callerIntents[random.Next(callerIntents.Length)], StartedAt = at, CompletedAt = at.AddSeconds(2) });
                db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = conversation.Id, Sequence = 1, Speaker = Speaker.Agent, Text = "Hi!", LatencyMs = random.Next(60, 700), StartedAt = at.AddSeconds(2), CompletedAt = at.AddSeconds(4) });
                db.ConversationInsights.Add(new ConversationInsight
                {
                    TenantId = tenant.TenantId, ConversationId = conversation.Id, Summary = CustomerScreenshotSeed.Summary(outcome, i), Outcome = outcome, AnalyzedAt = at,
                    Sentiment = Math.Round((random.NextDouble() * 1.4) - 0.5, 2), LeadScore = random.Next(0, 101), Intents = [.. intents.Where(_ => random.NextDouble() < 0.3)],
                });
                if (outcome == ConversationOutcome.Booked)
                {
                    var service = services[random.Next(services.Count)];
                    db.Bookings.Add(new Booking
                    {
                        TenantId = tenant.TenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = slot, EndUtc = slot.AddMinutes(30),
                        CustomerName = "Seed", CustomerPhone = conversation.CustomerPhone!, PriceCents = service.PriceCents,
                    });
                    slot = slot.AddHours(1);
                }
            }

            string[] gaps = ["Do you offer Invisalign?", "Is there parking nearby?", "Do you see children under 5?", "Can I pay in instalments?"];
            for (int g = 0; g < gaps.Length; g++)
            {
                db.KnowledgeGaps.Add(new KnowledgeGap
                {
                    TenantId = tenant.TenantId, NormalizedQuestion = gaps[g].ToLowerInvariant(), ExampleQuestion = gaps[g], Count = 9 - (2 * g),
                    LastAskedAt = DateTimeOffset.UtcNow.AddDays(-g - 1),
                });
            }

            await db.SaveChangesAsync();
            return await CustomerScreenshotSeed.SeedAsync(db, tenant.TenantId, tenant.AgentId);
        });
        return tenant;
    }

    private async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/admin$|/$|/onboarding"));
        return page;
    }

    [Fact]
    public async Task AnalyticsPage_DrawsEveryChart_AndAskAnswersWithAChart()
    {
        var tenant = await SeedAsync();
        var page = await SignInAsync(tenant.Email, tenant.Password);
        Directory.CreateDirectory(Docs);

        await page.GotoAsync("/analytics");
        await page.Locator("[data-testid=chart-daily] .js-plotly-plot .main-svg").First.WaitForAsync();
        await page.Locator("[data-testid=chart-heatmap] .js-plotly-plot .main-svg").First.WaitForAsync();
        await page.Locator("[data-testid=chart-funnel] .js-plotly-plot .main-svg").First.WaitForAsync();
        Assert.NotEqual("0", (await page.Locator("[data-testid=kpi-conversations-value]").InnerTextAsync()).Trim());
        Assert.Equal(4, await page.Locator("[data-testid=unanswered-row]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "analytics.png"), FullPage = true });

        await page.GotoAsync("/ask");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=ask-examples] .mud-chip", new() { HasText = "Which hour gets the most calls?" }).ClickAsync();
        await page.Locator("[data-testid=ask-sentence]").WaitForAsync();
        await page.Locator(".js-plotly-plot .main-svg").First.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "ask.png"), FullPage = true });
    }

    [Fact]
    public async Task CustomersPages_ListEveryCustomer_AndShowOneCustomersTimelineAndNotes()
    {
        var tenant = await SeedAsync();
        var page = await SignInAsync(tenant.Email, tenant.Password);
        Directory.CreateDirectory(Docs);

        await page.GotoAsync("/customers");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=customer-row]").First.WaitForAsync();
        Assert.Equal(25, await page.Locator("[data-testid=customer-row]").CountAsync());
        Assert.Contains("Jamie Rivera", await page.Locator("[data-testid=customers-table]").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "customers.png"), FullPage = true });

        await page.Locator("[data-testid=customer-name] a", new() { HasText = "Jamie Rivera" }).ClickAsync();
        await page.Locator("[data-testid=timeline]").WaitForAsync();
        Assert.Equal(6, await page.Locator("[data-testid=timeline-entry]").CountAsync());
        Assert.Contains("75", await page.Locator("[data-testid=customer-lead]").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "customer.png"), FullPage = true });
    }

    [Fact]
    public async Task AdminAnalytics_ShowsEveryBusiness()
    {
        await SeedAsync();
        var page = await SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);

        await page.GotoAsync("/admin/analytics");
        await page.Locator("[data-testid=chart-daily] .js-plotly-plot .main-svg").First.WaitForAsync();
        Assert.Contains("Maple Street Dental", await page.Locator("[data-testid=unanswered-table]").InnerTextAsync(), StringComparison.Ordinal);
        Directory.CreateDirectory(Docs);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "admin-analytics.png"), FullPage = true });
    }
}
