using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.BusinessSettings;
using Portal.Domain.Conversations;
using Portal.Domain.Instances;
using Portal.Domain.Knowledge;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.IntegrationTests.Voice;
using Portal.Rag.Ingestion;
using Portal.Voice.Twilio;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Scale;

/// <summary>
/// Two instances of the app on loopback over one database, as a deployment behind a reverse proxy runs them: calls and chats
/// through both, a conversation started on one continued on the other, an FAQ edited on one answered on the other (its caches
/// dropped through LISTEN/NOTIFY), and one conversation's turns serialized across both by a PostgreSQL advisory lock.
/// </summary>
public sealed class TwoInstanceTests(TwoInstancesFixture fixture, ITestOutputHelper output) : IClassFixture<TwoInstancesFixture>
{
    private PortalInstance A => fixture.A;

    private PortalInstance B => fixture.B;

    private sealed record PlacedCall(string CallSid, Guid ConversationId, string Token);

    private static async Task<string> NumberOfAsync(PortalInstance app, TestTenant tenant) =>
        (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;

    private static async Task<PlacedCall> VoiceWebhookAsync(PortalInstance app, string number)
    {
        var callSid = TwilioWebhookRequests.NewCallSid();
        var twiml = await TwilioWebhookRequests.TwimlAsync(await TwilioWebhookRequests.PostAsync(app.CreateClient(), "/twilio/voice", TwilioWebhookRequests.VoiceForm(callSid, number)));
        var parameters = twiml.Descendants("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        return new PlacedCall(callSid, Guid.Parse(parameters["conversationId"]), parameters["token"]);
    }

    private async Task<Conversation> ConversationAsync(Guid id)
    {
        await using var scope = A.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private async Task<List<Turn>> TurnsAsync(Guid conversationId)
    {
        await using var scope = B.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Turns.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).ToListAsync();
    }

    /// <summary>A web chat opened on <paramref name="app"/> through the service its chat endpoints call.</summary>
    private static async Task<Guid> StartChatAsync(Chat chat) =>
        await chat.App.InTenantAsync(chat.TenantId, async sp => (await sp.GetRequiredService<ConversationService>().StartAsync(Channel.WebChat, null, CancellationToken.None)).ConversationId);

    /// <summary>One chat turn on <paramref name="chat"/>'s instance.</summary>
    private static Task<TurnResult> SayAsync(Chat chat, Guid id, string utterance) =>
        chat.App.InTenantAsync(chat.TenantId, sp => sp.GetRequiredService<ConversationService>().ProcessTurnAsync(id, utterance, CancellationToken.None));

    private sealed record Chat(PortalInstance App, Guid TenantId);

    [Fact]
    public async Task Calls_ThroughBothInstances_AreAnswered_WhicheverInstanceTheWebhookAndTheStreamReach()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Call Dental");
        var number = await NumberOfAsync(A, tenant);

        foreach (var (webhook, stream) in new[] { (A, B), (B, A), (B, B) })
        {
            // Twilio's webhook and its media socket go through the proxy separately: the stream's token, protected by one
            // instance, is read by the other through the shared key ring.
            var call = await VoiceWebhookAsync(webhook, number);
            await using var socket = await MediaStreamClient.ConnectAsync(stream.ServerAddress);
            await socket.StartAsync(call.CallSid, call.Token);
            Assert.NotNull(await socket.ReadUntilAsync(m => m is OutboundMediaMessage)); // the greeting plays
            Assert.NotNull(await socket.ReadUntilAsync(m => m is MarkMessage));
            await socket.StopAsync(call.CallSid);
            Assert.Null(await socket.ReadUntilAsync(_ => false)); // the server closes after stop

            var ended = await TwoInstancesFixture.EventuallyAsync(() => ConversationAsync(call.ConversationId), c => c.EndedAt is not null,
                $"call with webhook on {webhook} and stream on {stream} ended");
            Assert.Equal(Channel.Voice, ended.Channel);
            Assert.Equal(tenant.TenantId, ended.TenantId);
        }
    }

    [Fact]
    public async Task OrphanedCallsJob_OnOneInstance_ClosesADeadCall_ButNotACallLiveOnTheOther()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Orphan Dental");
        var number = await NumberOfAsync(A, tenant);
        var live = await VoiceWebhookAsync(A, number);
        await using var socket = await MediaStreamClient.ConnectAsync(A.ServerAddress);
        await socket.StartAsync(live.CallSid, live.Token);
        Assert.NotNull(await socket.ReadUntilAsync(m => m is OutboundMediaMessage)); // live on A
        var dead = await VoiceWebhookAsync(B, number); // answered, but its stream never came (its instance "died")

        // Both look idle for 3 minutes; A's heartbeat then proves its call live (the beat itself, not a wait for the timer).
        await TwilioWebhookRequests.ExecuteAsync(fixture.ConnectionString,
            $"UPDATE conversations SET updated_at = now() - interval '3 minutes' WHERE id IN ('{live.ConversationId}', '{dead.ConversationId}')");
        Assert.True(await A.Services.GetRequiredService<Portal.Voice.Calls.LiveCallHeartbeat>().BeatAsync(CancellationToken.None) >= 1);

        await using (var scope = B.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Portal.Jobs.Calls.CloseOrphanedCallsJob>().RunAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        }

        Assert.NotNull((await ConversationAsync(dead.ConversationId)).EndedAt);
        Assert.Null((await ConversationAsync(live.ConversationId)).EndedAt);
        Assert.NotNull(await socket.ReadUntilAsync(m => m is MarkMessage)); // and the live call goes on
        await socket.StopAsync(live.CallSid);
        Assert.Null(await socket.ReadUntilAsync(_ => false));
    }

    [Fact]
    public async Task Chat_StartedOnOneInstance_ContinuesOnTheOther_UntilTheBookingIsMade()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Chat Dental");
        var onA = new Chat(A, tenant.TenantId);
        var onB = new Chat(B, tenant.TenantId);

        var id = await StartChatAsync(onA);
        var reply = await SayAsync(onB, id, "Hi, I'd like a cleaning the day after tomorrow at 10am");
        Assert.Contains("name", reply.Reply, StringComparison.OrdinalIgnoreCase);
        await SayAsync(onA, id, "Jamie Rivera");
        reply = await SayAsync(onB, id, "212-555-0143");
        Assert.Contains("Shall I book", reply.Reply, StringComparison.Ordinal);
        reply = await SayAsync(onA, id, "yes please");

        Assert.Equal(ConversationOutcome.Booked, reply.Outcome);
        var turns = await TurnsAsync(id);
        Assert.Equal(Enumerable.Range(0, turns.Count), turns.Select(t => t.Sequence));
        Assert.Equal(9, turns.Count); // greeting + four exchanges
        Assert.Equal(turns.Count, (await ConversationAsync(id)).TurnCount);
    }

    [Fact]
    public async Task FaqEditedOnOneInstance_IsAnsweredOnTheOther_ItsCachesDroppedByNotification()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Faq Dental");
        const string question = "Do you have parking for bicycles?";
        const string answer = "Yes, there is a bicycle rack right by the blue door.";
        var profilesOnB = B.Services.GetRequiredService<BusinessProfileCache>();
        var before = await profilesOnB.GetAsync(tenant.TenantId, CancellationToken.None); // B caches the facts (60 s time to live)
        var onB = new Chat(B, tenant.TenantId);
        var chat = await StartChatAsync(onB);
        Assert.DoesNotContain("blue door", (await SayAsync(onB, chat, question)).Reply, StringComparison.Ordinal);

        // The pages' saves, on A, through their services: the FAQ (the knowledge service invalidates A's knowledge index)
        // and the business details (the settings service bumps the facts version and invalidates A's profile); each cache
        // notifies every other instance itself.
        var clock = Stopwatch.StartNew();
        await A.InTenantAsync(tenant.TenantId, async sp =>
        {
            var saved = await sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(tenant.TenantId, null, question, answer, null, CancellationToken.None);
            Assert.True(saved.Succeeded, saved.Error);
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            Assert.True(await settings.SaveDetailsAsync((await settings.GetAsync(CancellationToken.None))!.Details, CancellationToken.None));
            return 0;
        });

        // Well inside the profile's 60 s time to live: only the notification can have dropped B's snapshot.
        var after = await TwoInstancesFixture.EventuallyAsync(() => profilesOnB.GetAsync(tenant.TenantId, CancellationToken.None).AsTask(),
            p => p.FactsVersion > before.FactsVersion, "B's snapshot of the facts refreshed", TimeSpan.FromSeconds(20));
        output.WriteLine($"B saw the new facts {clock.ElapsedMilliseconds} ms after A saved them");
        Assert.Equal(before.FactsVersion + 1, after.FactsVersion);
        var fresh = await StartChatAsync(onB);
        var reply = await TwoInstancesFixture.EventuallyAsync(async () => (await SayAsync(onB, fresh, question)).Reply,
            r => r.Contains("blue door", StringComparison.Ordinal), "the new FAQ answered on B", TimeSpan.FromSeconds(20));
        output.WriteLine($"B answered the new FAQ {clock.ElapsedMilliseconds} ms after A saved it: {reply}");
    }

    [Fact]
    public async Task TurnOnOneInstance_WaitsWhileTheOtherHoldsTheConversationsTurnLock()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Lock Dental");
        var onA = new Chat(A, tenant.TenantId);
        var id = await StartChatAsync(onA);

        var held = await A.Services.GetRequiredService<ConversationTurnLocks>().AcquireAsync(id, CancellationToken.None);
        Task<TurnResult> turnOnB;
        try
        {
            turnOnB = B.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationService>().ProcessTurnAsync(id, "What are your hours?", CancellationToken.None));
            // B's turn is seen waiting on the advisory lock in PostgreSQL (a condition, not a sleep).
            await TwoInstancesFixture.EventuallyAsync(() => WaitingAdvisoryLocksAsync(ConversationTurnLocks.KeyOf(id)), n => n == 1 || turnOnB.IsCompleted,
                "B's turn waiting on the conversation's advisory lock");
            Assert.False(turnOnB.IsCompleted, "B's turn ran while A held the conversation's lock");
            Assert.Single(await TurnsAsync(id)); // only the greeting: B stored nothing yet
        }
        finally
        {
            await held.DisposeAsync();
        }

        var result = await turnOnB.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(string.IsNullOrWhiteSpace(result.Reply));
        Assert.Equal(3, (await TurnsAsync(id)).Count);
    }

    [Fact]
    public async Task ConcurrentTurns_OnOneConversation_FromBothInstances_AreStoredOneExchangeAtATime()
    {
        var tenant = await A.CreateTenantAsync("Two Instance Concurrent Dental");
        var onA = new Chat(A, tenant.TenantId);
        var onB = new Chat(B, tenant.TenantId);
        var id = await StartChatAsync(onA);
        string[] questions = ["What are your hours?", "Where are you located?", "How much is a cleaning?", "Do you take walk-ins?", "What is your phone number?", "Are you open on Saturday?"];

        await Task.WhenAll(questions.Select((q, i) => SayAsync(i % 2 == 0 ? onA : onB, id, q)));

        var turns = await TurnsAsync(id);
        Assert.Equal(1 + 2 * questions.Length, turns.Count);
        Assert.Equal(Enumerable.Range(0, turns.Count), turns.Select(t => t.Sequence));
        // Each caller turn is followed by its own reply: no exchange interleaved with another.
        for (var i = 1; i < turns.Count; i += 2)
        {
            Assert.Equal(Speaker.Customer, turns[i].Speaker);
            Assert.Equal(Speaker.Agent, turns[i + 1].Speaker);
            Assert.True(turns[i].StartedAt <= turns[i + 1].StartedAt);
            if (i > 1)
            {
                Assert.True(turns[i - 1].CompletedAt <= turns[i].StartedAt, $"turn {i} started before the reply {i - 1} was stored");
            }
        }

        Assert.Equal(questions.Order(), turns.Where(t => t.Speaker == Speaker.Customer).Select(t => t.Text).Order());
        Assert.Equal(turns.Count, (await ConversationAsync(id)).TurnCount);
    }

    [Fact]
    public async Task Listener_AfterItsConnectionIsKilled_Reconnects_DropsEveryCache_AndHearsTheOtherInstanceAgain()
    {
        var busA = A.Services.GetRequiredService<CacheInvalidationBus>();
        var busB = B.Services.GetRequiredService<CacheInvalidationBus>();
        var heard = new System.Collections.Concurrent.ConcurrentQueue<Guid?>();
        using var subscription = busB.Subscribe("scale-test", heard.Enqueue);
        var key = Guid.NewGuid();
        busA.Publish("scale-test", key);
        await TwoInstancesFixture.EventuallyAsync(() => Task.FromResult(heard.ToArray()), h => h.Contains(key), "B heard A");

        var name = CacheInvalidationListener.ApplicationNameOf(busB);
        var killed = await ScalarAsync<int>($"SELECT count(*)::int FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}') t");
        Assert.Equal(1, killed);

        // Reconnected: every cache is told to drop everything (notifications in between may be lost) …
        await TwoInstancesFixture.EventuallyAsync(() => Task.FromResult(heard.ToArray()), h => h.Contains(null), "B's caches dropped after the reconnect");
        Assert.True(B.Services.GetRequiredService<CacheInvalidationListener>().IsListening);
        // … and A's notifications reach B again.
        var again = Guid.NewGuid();
        busA.Publish("scale-test", again);
        await TwoInstancesFixture.EventuallyAsync(() => Task.FromResult(heard.ToArray()), h => h.Contains(again), "B heard A after the reconnect");
        Assert.NotEqual(busA.InstanceId, busB.InstanceId);
    }

    [Fact]
    public async Task SandboxToken_GeneratedOnce_IsTheSameOnBothInstances_AndEachCopyIsOwnerOnly()
    {
        var directories = new[] { Directory.CreateTempSubdirectory("portal-scale-a-"), Directory.CreateTempSubdirectory("portal-scale-b-") };
        try
        {
            var tokens = new List<string>();
            foreach (var (app, directory) in new[] { (A, directories[0]), (B, directories[1]) })
            {
                // Keyless instances (no Telephony:AuthToken), each on its own machine's disk, sharing the database.
                var configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = directory.FullName }).Build();
                var credentials = new Portal.Web.Telephony.SandboxCredentials(Microsoft.Extensions.Options.Options.Create(new Portal.Web.Telephony.TelephonyWebhookOptions()),
                    configuration, app.Services.GetRequiredService<IServiceScopeFactory>());
                Assert.True(credentials.IsGenerated);
                tokens.Add(credentials.AuthToken);
                Assert.Equal(credentials.AuthToken, File.ReadAllText(credentials.FilePath).Trim());
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials.FilePath));
                }
            }

            Assert.Equal(32, tokens[0].Length);
            Assert.Equal(tokens[0], tokens[1]);
            await using var scope = A.Services.CreateAsyncScope();
            var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().PlatformSecrets.SingleAsync(s => s.Name == Portal.Web.Telephony.SandboxCredentials.SecretName);
            Assert.DoesNotContain(tokens[0], row.ProtectedValue, StringComparison.Ordinal); // stored encrypted
        }
        finally
        {
            foreach (var directory in directories)
            {
                directory.Delete(recursive: true);
            }
        }
    }

    private Task<int> WaitingAdvisoryLocksAsync(long key) =>
        // pg_locks splits a bigint advisory key into classid (high 32 bits) and objid (low 32 bits), objsubid 1.
        ScalarAsync<int>($"""
            SELECT count(*)::int FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
              AND classid::bigint = {(key >> 32) & 0xFFFFFFFF} AND objid::bigint = {key & 0xFFFFFFFF}
            """);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
