using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Data;
using Portal.Domain.Entities;
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
}

public sealed partial class BrowserCallTests(BrowserCallFactory app) : IClassFixture<BrowserCallFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

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

        await using var call = await BrowserClient.ConnectAsync(CallUri($"tenantId={other.TenantId}&agentId={other.AgentId}"), cookies);
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

        await using var call = await BrowserClient.ConnectAsync(CallUri(), cookies);
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

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed record CallEvent(string Event, string? Role, string Text, bool Final, JsonElement Json);

    /// <summary>The browser's side: echoes marks once their audio "played" (immediately), collects events and audio.</summary>
    private sealed class BrowserClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly List<CallEvent> _events = [];
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly CancellationTokenSource _cts = new();
        private Task _reader = Task.CompletedTask;
        private int _cursor;
        private long _audioBytes;
        private long _lastAudioAt;

        public long AudioBytes => Interlocked.Read(ref _audioBytes);

        public int LoudestSample { get; private set; }

        public int OddAudioFrames { get; private set; }

        public bool Closed { get; private set; }

        public static async Task<BrowserClient> ConnectAsync(Uri uri, CookieContainer cookies)
        {
            var client = new BrowserClient();
            client._socket.Options.Cookies = cookies;
            await client._socket.ConnectAsync(uri, CancellationToken.None);
            client._reader = Task.Run(client.ReadAsync);
            return client;
        }

        /// <summary>The next event (after the last one returned) that matches; fails after <see cref="Wait"/>.</summary>
        public async Task<CallEvent> NextAsync(Func<CallEvent, bool> match, bool fromStart = false)
        {
            if (fromStart)
            {
                lock (_events)
                {
                    return _events.First(match);
                }
            }

            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                lock (_events)
                {
                    while (_cursor < _events.Count)
                    {
                        var e = _events[_cursor++];
                        if (match(e))
                        {
                            return e;
                        }
                    }

                    Assert.False(Closed, "the call closed; events: " + string.Join(" | ", _events.Select(x => x.Event + ":" + x.Role + ":" + x.Text)));
                }

                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero, "timed out; events: " + string.Join(" | ", _events.Select(x => x.Event + ":" + x.Role + ":" + x.Text)));
                await _arrived.WaitAsync(left);
            }
        }

        /// <summary>Waits until no agent audio arrived for 600 ms.</summary>
        public async Task UntilAgentQuietAsync()
        {
            var deadline = DateTime.UtcNow + Wait;
            while (Environment.TickCount64 - Interlocked.Read(ref _lastAudioAt) < 600)
            {
                Assert.True(DateTime.UtcNow < deadline, "the agent never stopped talking");
                await Task.Delay(50);
            }
        }

        /// <summary>Sends 16 kHz PCM16 as 640-byte frames, one per 20 ms on an absolute schedule, until the call ends.</summary>
        public async Task SpeakAsync(byte[] pcm)
        {
            var start = System.Diagnostics.Stopwatch.StartNew();
            int frames = pcm.Length / BrowserCallTransport.InputFrameBytes;
            for (int k = 0; k < frames && !Closed && _socket.State == WebSocketState.Open; k++)
            {
                var due = TimeSpan.FromMilliseconds(20 * k) - start.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                await SendAsync(pcm.AsMemory(k * BrowserCallTransport.InputFrameBytes, BrowserCallTransport.InputFrameBytes), WebSocketMessageType.Binary);
            }
        }

        public async Task HangUpAsync()
        {
            await SendAsync("{\"event\":\"stop\"}"u8.ToArray(), WebSocketMessageType.Text);
            var ended = await NextAsync(e => e.Event == "ended");
            Assert.Equal("call ended", ended.Json.GetProperty("reason").GetString());
            await _reader.WaitAsync(Wait);
            Assert.True(Closed);
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            try
            {
                await _reader;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }

            _socket.Dispose();
            _send.Dispose();
            _cts.Dispose();
        }

        private async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
        {
            await _send.WaitAsync();
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.SendAsync(payload, type, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // The server closed first.
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1 << 16];
            try
            {
                while (true)
                {
                    int length = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await _socket.ReceiveAsync(buffer.AsMemory(length), _cts.Token);
                        length += r.Count;
                    }
                    while (!r.EndOfMessage);

                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        }

                        return;
                    }

                    if (r.MessageType == WebSocketMessageType.Binary)
                    {
                        OddAudioFrames += length == 640 ? 0 : 1;
                        for (int i = 0; i + 1 < length; i += 2)
                        {
                            LoudestSample = Math.Max(LoudestSample, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(i))));
                        }

                        Interlocked.Add(ref _audioBytes, length);
                        Interlocked.Exchange(ref _lastAudioAt, Environment.TickCount64);
                        continue;
                    }

                    var json = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                    var e = new CallEvent(
                        json.GetProperty("event").GetString()!,
                        json.TryGetProperty("role", out var role) ? role.GetString() : null,
                        json.TryGetProperty("text", out var text) ? text.GetString()! : "",
                        json.TryGetProperty("final", out var final) && final.GetBoolean(),
                        json);
                    if (e.Event == "mark")
                    {
                        // Played at once: this client has no speaker.
                        await SendAsync(Encoding.UTF8.GetBytes($$"""{"event":"mark","name":"{{json.GetProperty("name").GetString()}}"}"""), WebSocketMessageType.Text);
                    }

                    lock (_events)
                    {
                        _events.Add(e);
                    }

                    _arrived.Release();
                }
            }
            finally
            {
                Closed = true;
                _arrived.Release();
            }
        }
    }
}
