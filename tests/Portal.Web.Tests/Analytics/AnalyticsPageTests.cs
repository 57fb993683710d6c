using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entities;
using Portal.Domain.Brain.Analytics;
using Portal.Web.Components.Pages.Analytics;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Analytics;

/// <summary>The analytics page on the real services: the empty state, the figures the service computed, and the range filters.</summary>
public sealed class AnalyticsPageTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public AnalyticsPageTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private async Task SeedTodayAsync(Guid tenantId, int calls, int chats, int booked)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-30);
        await _app.DbAsync(async db =>
        {
            var agent = db.AgentPersonas.First();
            var service = db.Services.First(s => s.PriceCents != null);
            for (int i = 0; i < calls + chats; i++)
            {
                var conversation = new Conversation
                {
                    TenantId = tenantId, AgentPersonaId = agent.Id, Channel = i < calls ? Channel.Voice : Channel.WebChat, StartedAt = now.AddSeconds(-i),
                    EndedAt = now.AddSeconds(120 - i), DurationSeconds = i < calls ? 120 : null, Outcome = i < booked ? ConversationOutcome.Booked : ConversationOutcome.Answered,
                };
                db.Conversations.Add(conversation);
                if (i < booked)
                {
                    var start = now.AddDays(3 + i);
                    db.Bookings.Add(new Booking
                    {
                        TenantId = tenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = start, EndUtc = start.AddMinutes(30),
                        CustomerName = "Pat", CustomerPhone = "+12125550123", PriceCents = 12_500,
                    });
                }
            }

            // A test conversation never counts.
            db.Conversations.Add(new Conversation { TenantId = tenantId, AgentPersonaId = agent.Id, Channel = Channel.Test, IsTest = true, StartedAt = now, Outcome = ConversationOutcome.Booked });
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task NewBusiness_SeesZeroes_AndAnEmptyState()
    {
        await _app.CreateTenantAsync("Empty Analytics Dental");
        RenderWithProviders();

        var cut = Render<AnalyticsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=analytics-empty]"));
        Assert.Equal("0", cut.Find("[data-testid=kpi-conversations-value]").TextContent.Trim());
        Assert.Equal("—", cut.Find("[data-testid=kpi-latency-p95-value]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=chart-daily]"));
    }

    [Fact]
    public async Task SeededBusiness_ShowsTheFiguresTheServiceComputed()
    {
        var tenantId = await _app.CreateTenantAsync("Busy Analytics Dental");
        await SeedTodayAsync(tenantId, calls: 3, chats: 2, booked: 2);
        var service = _app.Services.GetRequiredService<AnalyticsService>();
        var today = await service.TodayAsync(CancellationToken.None);
        var report = await service.GetAsync(new AnalyticsQuery(today.AddDays(-29), today), CancellationToken.None);
        RenderWithProviders();

        var cut = Render<AnalyticsPage>();

        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("[data-testid=kpi-conversations-value]").TextContent.Trim()));
        Assert.Equal(5, report.Summary.Conversations);
        Assert.Equal("40.0 %", cut.Find("[data-testid=kpi-booking-rate-value]").TextContent.Trim());
        Assert.Equal(40.0, report.Summary.BookingRatePercent);
        Assert.Equal("$250.00", cut.Find("[data-testid=kpi-revenue-value]").TextContent.Trim());
        Assert.Equal(25_000, report.Summary.RevenueCents);
        Assert.Equal("6.0", cut.Find("[data-testid=kpi-minutes-value]").TextContent.Trim());
        Assert.Equal("2:00", cut.Find("[data-testid=kpi-handle-time-value]").TextContent.Trim());
        Assert.Contains("3 calls · 2 chats", cut.Find("[data-testid=kpi-conversations]").TextContent, StringComparison.Ordinal);
        foreach (var table in new[] { "daily", "heatmap", "funnel", "sentiment", "intents", "unanswered" })
        {
            var href = cut.Find($"[data-testid=chart-{table}] a[href], [data-testid=csv-{table}][href]").GetAttribute("href")!;
            Assert.Contains($"/api/v1/analytics/csv?from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}&table={table}", href, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SevenDays_NarrowsTheRange()
    {
        await _app.CreateTenantAsync("Range Analytics Dental");
        RenderWithProviders();
        var cut = Render<AnalyticsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=analytics-empty]"));
        var today = await _app.Services.GetRequiredService<AnalyticsService>().TodayAsync(CancellationToken.None);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=filter-presets] .mud-chip").First(c => c.TextContent.Contains("7 days", StringComparison.Ordinal)).Click());

        cut.WaitForAssertion(() => Assert.Contains($"from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
            cut.Find("[data-testid=csv-summary]").GetAttribute("href"), StringComparison.Ordinal));
    }
}
