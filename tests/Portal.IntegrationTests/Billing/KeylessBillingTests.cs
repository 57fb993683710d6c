using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing.Jobs;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Billing;

/// <summary>The Billing page without Stripe configured: local usage, a clear "not configured", and each business sees only its own usage.</summary>
public sealed class KeylessBillingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task BillingPage_Keyless_ShowsLocalUsage_SaysStripeIsNotConfigured_AndIsTenantIsolated()
    {
        var busy = await app.CreateTenantAsync("Busy Keyless Dental");
        var quiet = await app.CreateTenantAsync("Quiet Keyless Dental");
        // 125 s = 21 tenths, 30 s = 5 tenths: 2.6 minutes for the busy business, none for the quiet one.
        await BillingTestData.AddEndedCallsAsync(app, busy, [(DateTimeOffset.UtcNow.AddMinutes(-3), 125), (DateTimeOffset.UtcNow.AddMinutes(-2), 30)]);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        }

        var busyHtml = WebUtility.HtmlDecode(await (await app.SignInAsync(busy.Email, busy.Password)).GetStringAsync("/billing"));
        Assert.Contains("Stripe is not configured", busyHtml, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"minutes-used\"[^>]*>\\s*2\\.6\\s*<", busyHtml);
        Assert.Contains("27.4 free trial min left", busyHtml, StringComparison.Ordinal); // the 30 trial minutes cover the 2.6 used

        var quietClient = await app.SignInAsync(quiet.Email, quiet.Password);
        var quietHtml = WebUtility.HtmlDecode(await quietClient.GetStringAsync("/billing"));
        Assert.Contains("No calls this period yet.", quietHtml, StringComparison.Ordinal);
        Assert.Contains("30.0 free trial min left", quietHtml, StringComparison.Ordinal);

        // Keyless: Checkout cannot start, and says why instead of failing.
        var checkout = await quietClient.GetAsync("/billing/checkout/Growth");
        Assert.Equal(HttpStatusCode.BadRequest, checkout.StatusCode);
        Assert.Contains("not configured", await checkout.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_IsCountedAsAConversationWithItsModelTokens_NotAsMinutes()
    {
        var tenant = await app.CreateTenantAsync("Chatty Keyless Dental");
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        var chatId = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            // A 9-minute web chat with two model-answered turns (tokens, and the cost the model provider reported on one).
            var chat = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.WebChat, StartedAt = started, EndedAt = started.AddMinutes(9),
                Outcome = ConversationOutcome.Answered, TurnCount = 2,
            };
            db.Conversations.Add(chat);
            db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = chat.Id, Sequence = 1, Speaker = Speaker.Agent, Text = "Hello", StartedAt = started, CompletedAt = started, InputTokens = 1_000, OutputTokens = 200, CostMicroUsd = 6_000 });
            db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = chat.Id, Sequence = 2, Speaker = Speaker.Agent, Text = "Bye", StartedAt = started, CompletedAt = started, InputTokens = 1_500, OutputTokens = 100 });
            await db.SaveChangesAsync();
            return chat.Id;
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None);
            var usage = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().UsageRecords.IgnoreQueryFilters().SingleAsync(u => u.ConversationId == chatId);
            Assert.Equal(Channel.WebChat, usage.Channel);
            Assert.Equal(0, usage.BillableSeconds);
            Assert.Equal(0, usage.BillableTenths);
            Assert.Equal(0, usage.PriceMicros);
            Assert.Equal(2_500, usage.InputTokens);
            Assert.Equal(300, usage.OutputTokens);
            Assert.Equal(6_000, usage.ModelCostMicros); // what the provider reported
            Assert.Equal(0, usage.SttCostMicros + usage.TtsCostMicros + usage.TelephonyCostMicros);
            Assert.Equal("usd", usage.Currency);
        }

        var html = WebUtility.HtmlDecode(await (await app.SignInAsync(tenant.Email, tenant.Password)).GetStringAsync("/billing"));
        Assert.Matches("data-testid=\"minutes-used\"[^>]*>\\s*0\\.0\\s*<", html);
        // Per agent: 0 calls, 1 chat, 0.0 minutes.
        Assert.Matches("<td>0</td><td>1</td><td>0\\.0</td>", html);
    }
}
