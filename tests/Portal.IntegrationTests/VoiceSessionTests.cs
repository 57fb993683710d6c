using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Calls;
using Portal.Voice.Calls;
using Portal.Web.Endpoints;
using Portal.Web.Telephony;

namespace Portal.IntegrationTests;

/// <summary>The database side of spoken calls: barge-in truncation, voice figures, recordings and the orphaned-calls job.</summary>
public sealed class VoiceSessionTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private async Task<(TestTenant Tenant, Guid ConversationId)> CallWithOneTurnAsync(string business, Channel channel = Channel.Test)
    {
        var tenant = await app.CreateTenantAsync(business);
        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var started = channel == Channel.Voice
                ? (await sp.GetRequiredService<CallConversationService>().StartCallAsync(tenant.AgentId, new VoiceCallDetails("CA" + Guid.NewGuid().ToString("N"), "+14155550123", "+12125550100", "in-progress"), CancellationToken.None)).Conversation
                : await conversations.StartAsync(channel, null, CancellationToken.None);
            await conversations.ProcessTurnAsync(started.ConversationId, "What are your hours?", CancellationToken.None);
            return started.ConversationId;
        });
        return (tenant, id);
    }

    private async Task<List<Turn>> TurnsAsync(Guid tenantId, Guid conversationId) =>
        await app.InTenantAsync(tenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Turns.AsNoTracking().Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).ToListAsync();
        });

    [Fact]
    public async Task TruncateLastAgentTurn_KeepsOnlyWhatWasHeard_AndTheNextTurnGoesOn()
    {
        var (tenant, id) = await CallWithOneTurnAsync("Truncation Dental");
        var before = await TurnsAsync(tenant.TenantId, id);
        Assert.Equal(3, before.Count);
        var fullReply = before[2].Text;
        const string heard = "Our hours are";
        Assert.NotEqual(heard, fullReply);

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<CallConversationService>().TruncateLastAgentTurnAsync(id, heard, CancellationToken.None);
            return 0;
        });

        var after = await TurnsAsync(tenant.TenantId, id);
        Assert.Equal(heard, after[2].Text);
        Assert.True(after[2].Interrupted);
        Assert.Equal(before[1].Text, after[1].Text); // the caller's turn is untouched
        Assert.Equal(before[0].Text, after[0].Text); // so is the greeting
        Assert.False(after[0].Interrupted);

        // The conversation goes on after the truncated turn.
        var next = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationService>().ProcessTurnAsync(id, "Where are you located?", CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(next.Reply));
        Assert.Equal(5, (await TurnsAsync(tenant.TenantId, id)).Count);
    }

    [Fact]
    public async Task TruncateLastAgentTurn_OfAnotherTenantsConversation_ChangesNothing()
    {
        var (owner, id) = await CallWithOneTurnAsync("Owner Dental");
        var other = await app.CreateTenantAsync("Intruder Dental");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.InTenantAsync(other.TenantId, async sp =>
        {
            await sp.GetRequiredService<CallConversationService>().TruncateLastAgentTurnAsync(id, "", CancellationToken.None);
            return 0;
        }));
        Assert.False((await TurnsAsync(owner.TenantId, id))[2].Interrupted);
    }

    [Fact]
    public async Task RecordVoiceMetrics_StoresConfidenceSpansAndLatencyBreakdown()
    {
        var (tenant, id) = await CallWithOneTurnAsync("Metrics Dental", Channel.Voice);
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<CallConversationService>().RecordVoiceMetricsAsync(id, new VoiceTurnMetrics(0.87, 1200, 2900, 3300, 6100, 180, 95, 60, 3), CancellationToken.None);
            return 0;
        });

        var turns = await TurnsAsync(tenant.TenantId, id);
        Assert.Equal(0.87, turns[1].Confidence!.Value, 6);
        Assert.Equal((1200, 2900), (turns[1].AudioStartMs, turns[1].AudioEndMs));
        Assert.Equal((3300, 6100), (turns[2].AudioStartMs, turns[2].AudioEndMs));
        Assert.Equal((180, 95, 60, 3), (turns[2].TranscriptLatencyMs, turns[2].ModelLatencyMs, turns[2].SpeechLatencyMs, turns[2].FrameOutLatencyMs));
        Assert.Null(turns[0].TranscriptLatencyMs);
    }

    [Fact]
    public async Task Recording_IsPlayedToItsTenant_AndInvisibleToAnother()
    {
        var (alpha, id) = await CallWithOneTurnAsync("Recording Alpha Dental", Channel.Voice);
        var bravo = await app.CreateTenantAsync("Recording Bravo Dental");
        var wav = CallAudioRecorder.MuLawToWav(Enumerable.Range(0, 8000).Select(i => (byte)(i % 256)).ToArray());
        var recordingId = await app.InTenantAsync(alpha.TenantId, sp => sp.GetRequiredService<CallRecordingStore>().SaveAsync(id, wav, 1000, CancellationToken.None));
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, CallRecordingEndpoints.AudioRoute, recordingId);

        var alphaClient = await app.SignInAsync(alpha.Email, alpha.Password);
        var response = await alphaClient.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav, await response.Content.ReadAsByteArrayAsync());

        var bravoClient = await app.SignInAsync(bravo.Email, bravo.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await bravoClient.GetAsync(url)).StatusCode);
        Assert.Null(await app.InTenantAsync(bravo.TenantId, sp => sp.GetRequiredService<CallRecordingStore>().OpenAsync(recordingId, CancellationToken.None)));

        var page = await alphaClient.GetStringAsync($"/conversations/{id}");
        Assert.Contains(url, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_ThatIsNotWav_IsRefusedAndNothingIsStored()
    {
        var (tenant, id) = await CallWithOneTurnAsync("Bad Recording Dental", Channel.Voice);
        await Assert.ThrowsAsync<ArgumentException>(() => app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<CallRecordingStore>().SaveAsync(id, new byte[100], 10, CancellationToken.None)));
        var count = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.CallRecordings.CountAsync(r => r.ConversationId == id);
        });
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task CloseOrphanedCalls_ClosesAStaleOpenCallAsFailed_WithItsTurnsIntact_AndLeavesOthersAlone()
    {
        var (tenant, stale) = await CallWithOneTurnAsync("Orphan Dental", Channel.Voice);
        var (_, fresh) = await CallWithOneTurnAsync("Fresh Dental", Channel.Voice);
        var (_, chat) = await CallWithOneTurnAsync("Stale Chat Dental", Channel.WebChat);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var old = DateTimeOffset.UtcNow.AddHours(-2);
            // Test setup across tenants: age the stale call and the chat directly.
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == stale || c.Id == chat)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, old));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<CloseOrphanedCallsJob>();
            Assert.True(await job.RunAsync(null, CancellationToken.None) >= 1);
            Assert.Equal(0, await job.RunAsync(null, CancellationToken.None)); // safe to run twice
        }

        var conversations = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == stale || c.Id == fresh || c.Id == chat).ToDictionaryAsync(c => c.Id);
        });
        Assert.Equal(ConversationOutcome.Failed, conversations[stale].Outcome);
        Assert.NotNull(conversations[stale].EndedAt);
        Assert.Null(conversations[fresh].EndedAt);
        Assert.Null(conversations[chat].EndedAt); // only voice calls are orphaned this way
        Assert.Equal(3, (await TurnsAsync(tenant.TenantId, stale)).Count);
    }
}
