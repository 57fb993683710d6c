using System.Net.WebSockets;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Voice;

/// <summary>The app on Kestrel with a short start timeout, so tests wait for the close instead of sleeping 10 s.</summary>
public sealed class CallStreamFactory : PortalAppFactory
{
    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TwilioWebhookRequests.Configure(builder);
        // Short enough that the start-timeout test waits seconds, not 10 s; long enough that a start sent at once still arrives
        // in time on a machine under heavy load (0.5 s was missed once at load 55).
        builder.UseSetting("Calls:StartTimeout", "00:00:03");
        builder.UseSetting("Calls:SilentStreamTimeout", "00:05:00"); // the fake Twilio here sends media only when a test talks
    }
}

/// <summary>
/// Call delivery over a real Media Streams socket: what the caller heard is stored (barge-in and hang-up during the greeting, a
/// transfer), a second stream for a live call is refused, sockets without a start are closed, and <c>stop</c> gets a close frame.
/// </summary>
public sealed class CallStreamTests(CallStreamFactory app) : IClassFixture<CallStreamFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed record PlacedCall(Guid TenantId, string CallSid, string Number, Guid ConversationId, string Token);

    private async Task<PlacedCall> PlaceCallAsync(string business, string? callSid = null, string? number = null, Guid? tenantId = null)
    {
        if (tenantId is null)
        {
            var tenant = await app.CreateTenantAsync(business);
            tenantId = tenant.TenantId;
            number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        }

        callSid ??= TwilioWebhookRequests.NewCallSid();
        var twiml = await TwilioWebhookRequests.TwimlAsync(await TwilioWebhookRequests.PostAsync(app.CreateClient(), "/twilio/voice", TwilioWebhookRequests.VoiceForm(callSid, number!)));
        var parameters = twiml.Descendants("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        return new PlacedCall(tenantId.Value, callSid, number!, Guid.Parse(parameters["conversationId"]), parameters["token"]);
    }

    private async Task<List<Turn>> TurnsAsync(Guid conversationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Turns.IgnoreQueryFilters().AsNoTracking().Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).ToListAsync();
    }

    private async Task<Conversation> ConversationAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, what + " not reached in time");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task BargeIn_DuringTheGreeting_StoresTheGreetingAsHeard_AndMarksItInterrupted()
    {
        var call = await PlaceCallAsync("Greeting Barge Dental");
        var greeting = (await TurnsAsync(call.ConversationId))[0];
        Assert.True(greeting.PlaybackPending, "the greeting is stored before the caller hears it");
        var firstSentence = MediaStreamSession.Sentences(greeting.Text)[0];
        await using var twilio = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: true);
        await twilio.StartAsync(call.CallSid, call.Token);
        await twilio.ReadUntilAsync(m => m is MarkMessage); // the first sentence played and its mark is echoed
        await EventuallyAsync(() => TurnsAsync(call.ConversationId), t => t[0].HeardText == firstSentence, "first sentence recorded as heard");

        await twilio.AudioAsync(300, loud: false);
        await twilio.AudioAsync(1000, loud: true); // the caller talks over the rest of the greeting

        Assert.NotNull(await twilio.ReadUntilAsync(m => m is ClearMessage));
        var turn = (await EventuallyAsync(() => TurnsAsync(call.ConversationId), t => !t[0].PlaybackPending, "greeting settled"))[0];
        Assert.Equal(firstSentence, turn.Text);
        Assert.True(turn.Interrupted);
        Assert.Null(turn.HeardText);
    }

    [Fact]
    public async Task HangUp_DuringTheGreeting_StoresOnlyTheSentencesHeard_AndTheServerSendsACloseFrame()
    {
        var call = await PlaceCallAsync("Greeting Hangup Dental");
        var stored = (await TurnsAsync(call.ConversationId))[0].Text;
        await using var twilio = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: true);
        await twilio.StartAsync(call.CallSid, call.Token);
        await twilio.ReadUntilAsync(m => m is MarkMessage);
        var firstSentence = MediaStreamSession.Sentences(stored)[0];
        await EventuallyAsync(() => TurnsAsync(call.ConversationId), t => t[0].HeardText == firstSentence, "first sentence recorded as heard");

        await twilio.StopAsync(call.CallSid);

        Assert.Null(await twilio.ReadUntilAsync(_ => false)); // the server closes after stop
        Assert.Equal(WebSocketCloseStatus.NormalClosure, twilio.CloseStatus);
        var conversation = await EventuallyAsync(() => ConversationAsync(call.ConversationId), c => c.EndedAt is not null, "call ended");
        var turn = (await TurnsAsync(conversation.Id))[0];
        Assert.Equal(firstSentence, turn.Text);
        Assert.True(turn.Interrupted);
        Assert.False(turn.PlaybackPending);
    }

    [Fact]
    public async Task Key0_StoresTheHandOverTurn_AndTheOutcomeTransferred()
    {
        var call = await PlaceCallAsync("Transfer Outcome Dental");
        await app.InTenantAsync(call.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.TransferNumber, "+12125550177")));
        await using var twilio = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: true);
        await twilio.StartAsync(call.CallSid, call.Token);
        await twilio.ReadUntilAsync(m => m is OutboundMediaMessage);

        await twilio.DigitAsync("0");
        var reading = twilio.ReadUntilAsync(_ => false); // keeps echoing marks: "please hold" is heard before the redirect

        var sandbox = (Portal.Telephony.SandboxTelephonyProvider)app.Services.GetRequiredService<Portal.Telephony.ITelephonyProvider>();
        await EventuallyAsync(() => Task.FromResult(sandbox.Redirects.Any(r => r.CallSid == call.CallSid)), x => x, "redirect");
        await twilio.StopAsync(call.CallSid); // the redirect ends the stream
        Assert.Null(await reading);
        var conversation = await EventuallyAsync(() => ConversationAsync(call.ConversationId), c => c.EndedAt is not null, "call ended");
        Assert.Equal(ConversationOutcome.Transferred, conversation.Outcome);
        var turns = await TurnsAsync(call.ConversationId);
        Assert.Equal(CallPrompts.TransferRequest, turns[^2].Text);
        Assert.Equal(Speaker.Customer, turns[^2].Speaker);
        Assert.Equal(CallPrompts.TransferPrompt, turns[^1].Text);
        Assert.Equal(Speaker.Agent, turns[^1].Speaker);
    }

    [Fact]
    public async Task ReplayedWebhook_DuringALiveCall_ItsSecondStreamIsRefused_AndOnlyOneGreetingPlays()
    {
        var call = await PlaceCallAsync("Replay Live Dental");
        await using var first = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: false);
        await first.StartAsync(call.CallSid, call.Token);
        Assert.NotNull(await first.ReadUntilAsync(m => m is OutboundMediaMessage));

        var replay = await PlaceCallAsync("", call.CallSid, call.Number, call.TenantId); // same CallSid: same conversation, fresh token
        Assert.Equal(call.ConversationId, replay.ConversationId);
        await using var second = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: false);
        await second.StartAsync(call.CallSid, replay.Token);

        Assert.Null(await second.ReadUntilAsync(_ => false));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, second.CloseStatus);
        Assert.Empty(second.Received);
        Assert.NotNull(await first.ReadUntilAsync(m => m is MarkMessage)); // the first stream goes on
    }

    [Fact]
    public async Task Socket_WithoutAStart_IsClosedAfterTheStartTimeout()
    {
        await using var idle = await TwilioSocket.ConnectAsync(app.ServerAddress, echoMarks: false);

        Assert.Null(await idle.ReadUntilAsync(_ => false)); // nothing sent: the server closes it (Calls:StartTimeout = 3 s here)

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, idle.CloseStatus);
        Assert.Empty(idle.Received);
    }

    /// <summary>Twilio's side of a Media Stream: sends Twilio's messages, records what the server sends, echoes marks when asked.</summary>
    private sealed class TwilioSocket : IAsyncDisposable
    {
        private static readonly byte[] Silence = Enumerable.Repeat((byte)0xFF, 160).ToArray();
        private static readonly byte[] Loud = Enumerable.Range(0, 160).Select(i => MuLaw.EncodeSample((short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000)))).ToArray();
        private readonly ClientWebSocket _socket = new();
        private readonly bool _echoMarks;
        private long _sequence;
        private long _clockMs;

        private TwilioSocket(bool echoMarks) => _echoMarks = echoMarks;

        public string StreamSid { get; } = "MZ" + Guid.NewGuid().ToString("N");

        public List<MediaStreamMessage> Received { get; } = [];

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public static async Task<TwilioSocket> ConnectAsync(Uri server, bool echoMarks)
        {
            var twilio = new TwilioSocket(echoMarks);
            await twilio._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/twilio/media" }.Uri, CancellationToken.None);
            return twilio;
        }

        public Task SendAsync(MediaStreamMessage message) => _socket.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);

        public async Task StartAsync(string callSid, string token)
        {
            await SendAsync(new ConnectedMessage("Call", "1.0.0"));
            await SendAsync(new StartMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", callSid, ["inbound"], MediaFormat.MuLaw8k,
                new Dictionary<string, string> { ["token"] = token }));
        }

        public Task DigitAsync(string digit) => SendAsync(new DtmfMessage(++_sequence, StreamSid, "inbound_track", digit));

        public Task StopAsync(string callSid) => SendAsync(new StopMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", callSid));

        public async Task AudioAsync(int ms, bool loud)
        {
            for (int t = 0; t < ms; t += 20)
            {
                await SendAsync(new MediaMessage(++_sequence, StreamSid, "inbound", _sequence, _clockMs, loud ? Loud : Silence));
                _clockMs += 20;
            }
        }

        /// <summary>Reads until <paramref name="until"/> holds for a received message (returned), or the server closes (null).</summary>
        public async Task<MediaStreamMessage?> ReadUntilAsync(Func<MediaStreamMessage, bool> until)
        {
            using var cts = new CancellationTokenSource(Wait);
            var buffer = new byte[1 << 16];
            while (true)
            {
                int length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cts.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return null;
                }

                Assert.True(MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out var error), error);
                Received.Add(message);
                if (_echoMarks && message is MarkMessage mark)
                {
                    await SendAsync(new MarkMessage(++_sequence, StreamSid, mark.Name));
                }

                if (until(message))
                {
                    return message;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // The server already closed and went away.
            }

            _socket.Dispose();
        }
    }
}
