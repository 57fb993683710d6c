using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Calls;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// A crash mid-call, simulated as the database shows it afterwards: an open call whose last reply was stored "not yet
/// heard" with only its first sentence's mark back, and no activity since before the restart.
/// </summary>
internal static class CrashedCall
{
    public const string HeardSentence = "We are open nine to five.";
    public const string Reply = HeardSentence + " On Saturdays we open at ten.";

    public static async Task<(Guid ConversationId, string CallSid)> CreateAsync(PortalAppFactory app, string business)
    {
        var tenant = await app.CreateTenantAsync(business);
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var (started, _) = await sp.GetRequiredService<CallConversationService>().StartCallAsync(tenant.AgentId, new VoiceCallDetails(callSid, "+14155550199", number, "ringing"), CancellationToken.None);
            await foreach (var _ in conversations.StreamVoiceTurnAsync(started.ConversationId, "What are your hours?", CancellationToken.None))
            {
            }

            return started.ConversationId;
        });

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        // Test setup across tenants: the reply as a crash leaves it (one mark back), and the call idle since before the restart.
        var last = await db.Turns.IgnoreQueryFilters().Where(t => t.ConversationId == id).MaxAsync(t => t.Sequence);
        Assert.True(await db.Turns.IgnoreQueryFilters().AnyAsync(t => t.ConversationId == id && t.Sequence == last && t.PlaybackPending),
            "a voice reply is stored as not yet heard");
        await db.Turns.IgnoreQueryFilters().Where(t => t.ConversationId == id && t.Sequence == last)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Text, Reply).SetProperty(t => t.HeardText, HeardSentence));
        await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, DateTimeOffset.UtcNow.AddMinutes(-3)));
        return (id, callSid);
    }

    public static async Task<(Conversation Call, List<Turn> Turns)> ReadAsync(PortalAppFactory app, Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var call = await db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id);
        var turns = await db.Turns.IgnoreQueryFilters().AsNoTracking().Where(t => t.ConversationId == id).OrderBy(t => t.Sequence).ToListAsync();
        return (call, turns);
    }

    public static async Task<int> RestartRunAsync(PortalAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // The startup run: everything idle since before "now" belonged to the crashed process.
        return await scope.ServiceProvider.GetRequiredService<CloseOrphanedCallsJob>().RunAsync(DateTimeOffset.UtcNow, CancellationToken.None);
    }
}

/// <summary>Orphaned calls with Twilio configured (the fake Twilio REST API): the Calls API says how an orphaned call ended.</summary>
public sealed class OrphanedCallTests(TwilioAdminFixture app) : IClassFixture<TwilioAdminFixture>
{
    [Fact]
    public async Task Restart_ClosesTheCallWithStatusAndDurationFromTwilio_AndCutsTheReplyToWhatWasHeard()
    {
        var (id, callSid) = await CrashedCall.CreateAsync(app, "Crash Twilio Dental");
        var ended = DateTimeOffset.UtcNow.AddMinutes(-2);
        app.Twilio.Calls[callSid] = ("completed", 95, ended);

        Assert.Equal(1, await CrashedCall.RestartRunAsync(app));
        Assert.Equal(0, await CrashedCall.RestartRunAsync(app)); // safe to run twice

        var (call, turns) = await CrashedCall.ReadAsync(app, id);
        Assert.Equal("completed", call.CallStatus);
        Assert.Equal(95, call.DurationSeconds);
        Assert.Equal(ended, call.EndedAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(ConversationOutcome.Failed, call.Outcome); // only a question was answered: the call counts as failed
        Assert.Contains("completed", call.EndReason, StringComparison.Ordinal);
        var reply = turns[^1];
        Assert.Equal(CrashedCall.HeardSentence, reply.Text);
        Assert.True(reply.Interrupted);
        Assert.False(reply.PlaybackPending);
        Assert.False(turns[0].PlaybackPending); // the greeting, never confirmed either, is settled (nothing heard: empty)
        Assert.Equal("", turns[0].Text);
    }

    [Fact]
    public async Task Restart_LeavesACallTwilioReportsLive_Open()
    {
        var (id, callSid) = await CrashedCall.CreateAsync(app, "Live Twilio Dental");
        app.Twilio.Calls[callSid] = ("in-progress", null, null);

        await CrashedCall.RestartRunAsync(app);

        var (call, turns) = await CrashedCall.ReadAsync(app, id);
        Assert.Null(call.EndedAt);
        Assert.True(turns[^1].PlaybackPending);
    }
}

/// <summary>Orphaned calls, keyless (sandbox, no Calls API): an orphaned call is closed as "ended unexpectedly".</summary>
public sealed class SandboxOrphanedCallTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Restart_WithoutACallsApi_ClosesTheCallAsEndedUnexpectedly_AndCutsTheReplyToWhatWasHeard()
    {
        var (id, _) = await CrashedCall.CreateAsync(app, "Crash Sandbox Dental");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // A booking was made before the crash (test setup across tenants): it must survive the close.
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().Where(c => c.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Outcome, ConversationOutcome.Booked));
        }

        Assert.Equal(1, await CrashedCall.RestartRunAsync(app));

        var (call, turns) = await CrashedCall.ReadAsync(app, id);
        Assert.NotNull(call.EndedAt);
        Assert.Null(call.CallStatus); // "ringing" would be false for an ended call
        Assert.Equal(CloseOrphanedCallsJob.EndedUnexpectedly, call.EndReason);
        Assert.Equal(ConversationOutcome.Booked, call.Outcome);
        Assert.Equal(CrashedCall.HeardSentence, turns[^1].Text);
        Assert.True(turns[^1].Interrupted);
        Assert.All(turns, t => Assert.False(t.PlaybackPending));
    }
}
