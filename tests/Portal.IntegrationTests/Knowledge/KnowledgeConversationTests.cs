using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>
/// The offline engine (no language model) answering from knowledge ingested through the real pipeline, whether the
/// documents are shared by every agent of the tenant (no agent scope) or limited to one agent.
/// </summary>
public sealed class KnowledgeConversationTests(KnowledgeAppFactory app) : IClassFixture<KnowledgeAppFactory>
{
    private const string Guide = "# Visiting us\n\n## Bicycles\n\nBike racks are by the Elm Street entrance, covered and free.\n\n## Wifi\n\nQ: Is there wifi for patients?\nA: Yes, the network is BrightGuest and the password is smile2024.";

    private async Task<Guid> UploadAsync(Guid tenantId, string fileName, string text, Guid? agentPersonaId)
    {
        var result = await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(tenantId, fileName, new MemoryStream(Encoding.UTF8.GetBytes(text)), agentPersonaId, CancellationToken.None));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenantId, result.DocumentId!.Value));
        return result.DocumentId.Value;
    }

    private Task<TurnResult> AskAsync(Guid tenantId, string utterance) => app.InTenantAsync(tenantId, async sp =>
    {
        var conversations = sp.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
        return await conversations.ProcessTurnAsync(started.ConversationId, utterance, CancellationToken.None);
    });

    [Fact]
    public async Task OfflineEngine_AnswersFromASharedDocument_QuotingThePassageWithoutItsHeading()
    {
        var tenant = await app.CreateTenantAsync("Offline shared knowledge");
        await UploadAsync(tenant.TenantId, "visiting.md", Guide, agentPersonaId: null);

        var bikes = await AskAsync(tenant.TenantId, "Where can I leave my bike?");
        Assert.Equal(TurnEngines.Offline, bikes.Engine);
        Assert.Equal("Bike racks are by the Elm Street entrance, covered and free.", bikes.Reply);

        var wifi = await AskAsync(tenant.TenantId, "what's the wifi password");
        Assert.Equal("Yes, the network is BrightGuest and the password is smile2024.", wifi.Reply);
    }

    [Fact]
    public async Task OfflineEngine_UsesDocumentsOfItsOwnAgent_AndNeverAnotherAgents()
    {
        var tenant = await app.CreateTenantAsync("Offline scoped knowledge");
        var agent = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas.Select(a => a.Id).SingleAsync());
        await UploadAsync(tenant.TenantId, "visiting.md", Guide, agent);
        var other = await AddAgentAsync(tenant.TenantId);
        await UploadAsync(tenant.TenantId, "other.md", "# Other branch\n\n## Lockers\n\nLockers for coats are on the second floor of the Main Street branch.", other);

        Assert.Equal("Bike racks are by the Elm Street entrance, covered and free.", (await AskAsync(tenant.TenantId, "Where can I leave my bike?")).Reply);
        Assert.DoesNotContain("second floor", (await AskAsync(tenant.TenantId, "do you have lockers for my coat?")).Reply, StringComparison.Ordinal);
    }

    /// <summary>A second agent of the tenant, not live (conversations keep going to the first).</summary>
    private Task<Guid> AddAgentAsync(Guid tenantId) => app.InTenantAsync(tenantId, async sp =>
    {
        var db = sp.GetRequiredService<PortalDbContext>();
        var agent = new AgentPersona { TenantId = tenantId, Name = "Second desk", Greeting = "Hello from the other branch." };
        db.AgentPersonas.Add(agent);
        await db.SaveChangesAsync();
        return agent.Id;
    });
}
