using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Brain.Pii;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Brain;

namespace Portal.IntegrationTests.Brain;

/// <summary>Post-call analysis end to end on PostgreSQL: a real chat through the engine, ended, analysed by the job, redacted.</summary>
public sealed class ConversationInsightTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private const string CardTurn = "My card is 4111 1111 1111 1111 and my email is ann.lee@example.com, how much is an oil change?";

    private async Task<Guid> ChatAndEndAsync(TestTenant tenant, params string[] said) => await app.InTenantAsync(tenant.TenantId, async sp =>
    {
        var conversations = sp.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
        foreach (var text in said)
        {
            await conversations.ProcessTurnAsync(started.ConversationId, text, CancellationToken.None);
        }

        await conversations.EndAsync(started.ConversationId, CancellationToken.None);
        return started.ConversationId;
    });

    private async Task<bool> AnalyzeAsync(Guid tenantId, Guid conversationId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AnalyzeConversationsJob>().RunOneAsync(tenantId, conversationId, CancellationToken.None);
    }

    private Task<List<string>> TurnTextsAsync(Guid tenantId, Guid conversationId) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Turns.Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).Select(t => t.Text).ToListAsync();
    });

    [Fact]
    public async Task EndedChat_IsAnalysedByTheSweep_RedactedAndSummarised_Once()
    {
        var tenant = await app.CreateTenantAsync("Insight Garage", Industry.AutoRepair);
        var id = await ChatAndEndAsync(tenant, CardTurn, "It's for my 2016 Toyota Camry, the brakes are squeaking");

        using (var scope = app.Services.CreateScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<AnalyzeConversationsJob>();
            Assert.True(await job.RunAsync(CancellationToken.None) >= 1);
            Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        }

        var texts = await TurnTextsAsync(tenant.TenantId, id);
        Assert.Contains(texts, t => t.Contains("[card number]", StringComparison.Ordinal) && t.Contains("[email]", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("4111", StringComparison.Ordinal) || t.Contains("ann.lee", StringComparison.Ordinal));

        var view = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<InsightQueries>().GetAsync(id, CancellationToken.None));
        Assert.NotNull(view);
        Assert.Contains(InsightIntents.Price, view.Intents);
        Assert.StartsWith("A visitor wrote about", view.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", view.Summary, StringComparison.Ordinal);
        Assert.Contains(("Vehicle", "Toyota Camry"), view.Fields);
        Assert.Contains(("Year", "2016"), view.Fields);
        Assert.Equal(2, view.RedactedCount);
        Assert.Contains("Asked about prices (+15)", view.LeadReasons);

        // No original kept by default.
        Assert.Null(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationInsightService>().OriginalsAsync(id, CancellationToken.None)));
    }

    [Fact]
    public async Task KeepOriginal_StoresItOnlyEncrypted_AndChosenCategoriesOnlyAreRemoved()
    {
        var tenant = await app.CreateTenantAsync("Keep Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<RedactionSettingsService>().SaveAsync(PiiCategory.All & ~PiiCategory.Email, true, CancellationToken.None);
            return 0;
        });
        var id = await ChatAndEndAsync(tenant, CardTurn);
        Assert.True(await AnalyzeAsync(tenant.TenantId, id));

        var texts = await TurnTextsAsync(tenant.TenantId, id);
        Assert.Contains(texts, t => t.Contains("[card number]", StringComparison.Ordinal) && t.Contains("ann.lee@example.com", StringComparison.Ordinal));
        var stored = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.ConversationInsights.AsNoTracking().SingleAsync(i => i.ConversationId == id);
        });
        Assert.NotNull(stored.ProtectedOriginal);
        Assert.DoesNotContain("4111", stored.ProtectedOriginal, StringComparison.Ordinal);
        var originals = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationInsightService>().OriginalsAsync(id, CancellationToken.None));
        Assert.Contains(originals!.Values, o => o == CardTurn);
    }

    [Fact]
    public async Task AnotherTenant_CanNeitherReadNorAnalyse()
    {
        var owner = await app.CreateTenantAsync("Owner Salon", Industry.Salon);
        var other = await app.CreateTenantAsync("Other Salon", Industry.Salon);
        var id = await ChatAndEndAsync(owner, "Do you do haircuts? My number is 415-555-0199");

        Assert.False(await AnalyzeAsync(other.TenantId, id));
        Assert.Contains(await TurnTextsAsync(owner.TenantId, id), t => t.Contains("415-555-0199", StringComparison.Ordinal));
        Assert.True(await AnalyzeAsync(owner.TenantId, id));
        Assert.Null(await app.InTenantAsync(other.TenantId, sp => sp.GetRequiredService<InsightQueries>().GetAsync(id, CancellationToken.None)));
        Assert.NotNull(await app.InTenantAsync(owner.TenantId, sp => sp.GetRequiredService<InsightQueries>().GetAsync(id, CancellationToken.None)));
        var followUps = await app.InTenantAsync(other.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await InsightQueries.Apply(db.Conversations, db, new InsightFilter(MinLeadScore: 0)).CountAsync();
        });
        Assert.Equal(0, followUps);
    }

    [Fact]
    public async Task OpenConversation_IsNotAnalysed()
    {
        var tenant = await app.CreateTenantAsync("Open Dental");
        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
            await conversations.ProcessTurnAsync(started.ConversationId, "What are your hours?", CancellationToken.None);
            return started.ConversationId;
        });
        Assert.False(await AnalyzeAsync(tenant.TenantId, id));
    }
}
