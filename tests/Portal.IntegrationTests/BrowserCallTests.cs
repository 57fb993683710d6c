using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Web.Endpoints;

namespace Portal.IntegrationTests;

/// <summary>The real app on Kestrel, so a <see cref="ClientWebSocket"/> can play the browser's side of "Call your agent".</summary>
public sealed class BrowserCallFactory : PortalAppFactory
{
    protected override bool UseRealServer => true;

    /// <summary>The server's log: warnings, and everything from the call session, the endpoint and Kestrel's connections.</summary>
    public ServerLog Log { get; } = new("MediaStreamSession", "BrowserCallEndpoints", "Kestrel.Connections", "Server.Kestrel");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

public sealed partial class BrowserCallTests(BrowserCallFactory app) : IClassFixture<BrowserCallFactory>
{
    private static readonly TimeSpan Wait = BrowserCallClient.Wait;

    private Uri CallUri(string query = "") =>
        new UriBuilder(app.ServerAddress) { Scheme = app.ServerAddress.Scheme == "https" ? "wss" : "ws", Path = BrowserCallEndpoints.Path, Query = query }.Uri;

    private async Task<int> ConversationCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        // Across tenants on purpose: the test proves nothing was created anywhere.
        return await db.Conversations.IgnoreQueryFilters().CountAsync();
    }

    /// <summary>Signs in through the real login form; the cookies go on the WebSocket upgrade like a browser's.</summary>
    private async Task<CookieContainer> SignInAsync(TestTenant tenant)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.ServerAddress };
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = tenant.Email,
            ["Input.Password"] = tenant.Password,
        });
        var response = await client.PostAsync("/Account/Login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return cookies;
    }

    [Fact]
    public async Task Anonymous_IsRefused_AndNothingIsCreated()
    {
        int before = await ConversationCountAsync();
        using var socket = new ClientWebSocket();
        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(CallUri(), CancellationToken.None));
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ConversationCountAsync());
    }

    [Fact]
    public async Task SignedIn_PlainGetOrUpgradeFromAnotherSite_IsRefused()
    {
        var tenant = await app.CreateTenantAsync("Origin Dental");
        var cookies = await SignInAsync(tenant);
        int before = await ConversationCountAsync();

        using (var handler = new HttpClientHandler { CookieContainer = cookies })
        using (var client = new HttpClient(handler) { BaseAddress = app.ServerAddress })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(BrowserCallEndpoints.Path)).StatusCode);
        }

        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(CallUri(), CancellationToken.None));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ConversationCountAsync());
    }

    [Fact]
    public async Task Call_TenantComesFromTheCookie_NotFromTheClient()
    {
        var other = await app.CreateTenantAsync("Other Dental");
        var mine = await app.CreateTenantAsync("Mine Dental");
        var cookies = await SignInAsync(mine);

        await using var call = await BrowserCallClient.ConnectAsync(CallUri($"tenantId={other.TenantId}&agentId={other.AgentId}"), cookies);
        var started = await call.NextAsync(e => e.Event == "started");
        var id = started.Json.GetProperty("conversationId").GetGuid();
        await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent"); // the greeting
        await call.HangUpAsync();

        var conversation = await app.InTenantAsync(mine.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
        });
        Assert.NotNull(conversation);
        Assert.Equal(mine.TenantId, conversation.TenantId);
        Assert.Equal(mine.AgentId, conversation.AgentPersonaId);
        Assert.Equal(Channel.Voice, conversation.Channel);
        Assert.True(conversation.IsTest); // the owner's test call: kept out of the business's figures
        Assert.NotNull(conversation.EndedAt);
        var seenByOther = await app.InTenantAsync(other.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.AnyAsync(c => c.Id == id);
        });
        Assert.False(seenByOther);
    }

    [Fact]
    public async Task SpokenQuestion_GetsSpokenAnswerAndTranscripts_AndTheCallIsStoredWithTurns()
    {
        Assert.True(File.Exists("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3") && File.Exists("/usr/bin/espeak-ng"), "this test needs libpocketsphinx3, pocketsphinx-en-us and espeak-ng (the keyless voice stack)");
        var tenant = await app.CreateTenantAsync("Spoken Dental");
        var cookies = await SignInAsync(tenant);
        var espeak = new EspeakStreamingTextToSpeech(new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance));
        // Measured with pocketsphinx on espeak-ng en-us at 16 kHz: "what hours" (the engine's hours intent keys on "hours").
        var question = await espeak.SynthesizeAsync("What are your opening hours?", "en-us", AudioFormat.Wideband, CancellationToken.None);

        await using var call = await BrowserCallClient.ConnectAsync(CallUri(), cookies);
        var id = (await call.NextAsync(e => e.Event == "started")).Json.GetProperty("conversationId").GetGuid();
        Assert.Equal("pocketsphinx (offline)", (await call.NextAsync(e => e.Event == "started", fromStart: true)).Json.GetProperty("speechToText").GetString());
        await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent"); // greeting, played; its mark is echoed
        await call.UntilAgentQuietAsync();
        long greetingBytes = call.AudioBytes;
        Assert.True(greetingBytes > 16000, $"greeting audio {greetingBytes} bytes");

        // The caller: 0.4 s of silence, the question, then silence like an open microphone, paced in real time.
        var speaking = call.SpeakAsync([.. new byte[12800], .. question, .. new byte[32000 * 8]]);
        var heard = await call.NextAsync(e => e.Event == "transcript" && e.Role == "caller" && e.Final);
        Assert.Contains("hours", heard.Text, StringComparison.Ordinal);
        var answer = await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent");
        Assert.Contains("open", answer.Text, StringComparison.OrdinalIgnoreCase);
        await call.UntilAgentQuietAsync();
        Assert.True(call.AudioBytes - greetingBytes > 16000, "the answer was spoken");
        Assert.True(call.LoudestSample > 3000, $"agent audio peak {call.LoudestSample}");
        Assert.Equal(0, call.OddAudioFrames);
        await call.HangUpAsync();
        await speaking.WaitAsync(Wait);

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var stored = await db.Conversations.IgnoreQueryFilters().Include(c => c.Turns).AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(tenant.TenantId, stored.TenantId);
        Assert.NotNull(stored.EndedAt);
        var turns = stored.Turns.OrderBy(t => t.Sequence).ToList();
        Assert.True(turns.Count >= 3, $"{turns.Count} turns");
        Assert.Equal(Speaker.Agent, turns[0].Speaker);
        Assert.Equal(Speaker.Customer, turns[1].Speaker);
        Assert.Equal(heard.Text, turns[1].Text);
        Assert.Equal(Speaker.Agent, turns[2].Speaker);
        Assert.Contains("open", turns[2].Text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(answer.Text, turns[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangUp_WhileTheBrowserReadsSlowlyAndItsMicrophoneStillSends_EndsWithACompleteCloseHandshake()
    {
        var tenant = await app.CreateTenantAsync("Slow Browser Dental");
        var cookies = await SignInAsync(tenant);
        // The reader stalls 500 ms after `ended` (a busy machine) while the open microphone keeps sending frames: the
        // server must wait for the browser's close frame, not drop the connection under the frames still arriving.
        await using var call = await BrowserCallClient.ConnectAsync(CallUri(), cookies, readPauseAfterEnded: TimeSpan.FromMilliseconds(500));
        var id = (await call.NextAsync(e => e.Event == "started")).Json.GetProperty("conversationId").GetGuid();
        await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent"); // the greeting
        var speaking = call.SpeakAsync(new byte[32000 * 30]);

        try
        {
            await call.HangUpAsync();
        }
        catch (WebSocketException ex)
        {
            Assert.Fail("the connection closed without a complete handshake: " + ex.Message + "\nserver log:\n" + app.Log.Dump());
        }

        await speaking.WaitAsync(Wait);

        Assert.True(call.FramesSentAfterEnded > 0, "the microphone kept sending during the close handshake");
        Assert.NotNull(await EndedAtAsync(tenant.TenantId, id));
    }

    [Fact]
    public async Task BrowserClosesTheSocketFirst_ServerAnswersWithItsCloseFrame_AndTheCallIsEnded()
    {
        var tenant = await app.CreateTenantAsync("Tab Closed Dental");
        var cookies = await SignInAsync(tenant);
        await using var call = await BrowserCallClient.ConnectAsync(CallUri(), cookies);
        var id = (await call.NextAsync(e => e.Event == "started")).Json.GetProperty("conversationId").GetGuid();
        await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent"); // the greeting

        try
        {
            await call.CloseFirstAsync();
        }
        catch (WebSocketException ex)
        {
            Assert.Fail("the server dropped the connection without its close frame: " + ex.Message + "\nserver log:\n" + app.Log.Dump());
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.ServerCloseStatus);
        await EventuallyAsync(async () => await EndedAtAsync(tenant.TenantId, id) is not null);
    }

    private Task<DateTimeOffset?> EndedAtAsync(Guid tenantId, Guid conversationId) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.EndedAt).SingleAsync();
    });

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <see cref="Wait"/>.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
