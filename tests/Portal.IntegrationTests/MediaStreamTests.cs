using Portal.Fakes.Twilio;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests;

/// <summary>The real app on Kestrel, so a <see cref="ClientWebSocket"/> can play Twilio's side of a Media Stream.</summary>
public sealed class MediaStreamFactory : PortalAppFactory
{
    public const string PublicBaseUrl = "https://Portal.Example.test";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telephony:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Telephony:AuthToken", AuthToken);
    }
}

public sealed class MediaStreamTests(MediaStreamFactory app) : IClassFixture<MediaStreamFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed record PlacedCall(Guid TenantId, string CallSid, Guid ConversationId, string Token);

    private async Task<PlacedCall> PlaceCallAsync(string business)
    {
        var tenant = await app.CreateTenantAsync(business);
        var number = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None));
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["CallSid"] = callSid,
            ["CallStatus"] = "ringing",
            ["Direction"] = "inbound",
            ["From"] = "+14155550199",
            ["To"] = number!.E164,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, MediaStreamFactory.PublicBaseUrl + "/twilio/voice",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var parameters = twiml.Descendants("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        return new PlacedCall(tenant.TenantId, callSid, Guid.Parse(parameters["conversationId"]), parameters["token"]);
    }

    /// <summary>Twilio's side of the socket: sends Twilio messages, collects what the server sends.</summary>
    private sealed class FakeTwilio : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private long _sequence;

        public string StreamSid { get; } = "MZ" + Guid.NewGuid().ToString("N");

        public List<MediaStreamMessage> Received { get; } = [];

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public static async Task<FakeTwilio> ConnectAsync(Uri server)
        {
            var twilio = new FakeTwilio();
            var uri = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/twilio/media" }.Uri;
            await twilio._socket.ConnectAsync(uri, CancellationToken.None);
            return twilio;
        }

        public Task SendAsync(MediaStreamMessage message) => SendRawAsync(message.ToUtf8Json());

        public Task SendRawAsync(byte[] utf8) => _socket.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None);

        public async Task StartAsync(PlacedCall call, string? token = null)
        {
            await SendAsync(new ConnectedMessage("Call", "1.0.0"));
            await SendAsync(new StartMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", call.CallSid, ["inbound"], MediaFormat.MuLaw8k,
                new Dictionary<string, string> { ["conversationId"] = call.ConversationId.ToString(), ["token"] = token ?? call.Token }));
        }

        public Task DigitAsync(string digit) => SendAsync(new DtmfMessage(++_sequence, StreamSid, "inbound_track", digit));

        public Task StopAsync(PlacedCall call) => SendAsync(new StopMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", call.CallSid));

        /// <summary>Reads until <paramref name="until"/> holds for a received message, or the socket closes. Returns that message or null.</summary>
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
                    return null;
                }

                Assert.True(MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out var error), error);
                Received.Add(message);
                if (until(message))
                {
                    return message;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }

            _socket.Dispose();
        }
    }

    private async Task<Conversation> ConversationAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private async Task<List<Turn>> TurnsAsync(Guid conversationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Turns.IgnoreQueryFilters().AsNoTracking().Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).ToListAsync();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task MediaPath_WithoutWebSocket_Is400()
    {
        var response = await app.CreateClient().GetAsync("/twilio/media");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Start_WithTheWebhookToken_SpeaksTheGreetingAs160ByteMediaFramesAndMarks()
    {
        var call = await PlaceCallAsync("Media Greeting Dental");
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call);

        var mark = await twilio.ReadUntilAsync(m => m is MarkMessage);

        Assert.NotNull(mark);
        var media = twilio.Received.OfType<OutboundMediaMessage>().ToList();
        Assert.NotEmpty(media);
        Assert.All(media, m => Assert.Equal(160, m.Payload.Length));
        Assert.All(twilio.Received, m => Assert.Contains(twilio.StreamSid, Encoding.UTF8.GetString(m.ToUtf8Json()), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dtmf1_StoresAnHoursTurnWithTheReply()
    {
        var call = await PlaceCallAsync("Media Hours Dental");
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call);
        await twilio.ReadUntilAsync(m => m is OutboundMediaMessage);

        await twilio.DigitAsync("1");

        await twilio.ReadUntilAsync(m => m is ClearMessage);
        await EventuallyAsync(async () => (await TurnsAsync(call.ConversationId)).Count >= 3);
        var turns = await TurnsAsync(call.ConversationId);
        Assert.Equal(CallPrompts.HoursQuestion, turns[1].Text);
        Assert.Equal(Speaker.Customer, turns[1].Speaker);
        Assert.Equal(Speaker.Agent, turns[2].Speaker);
        Assert.Contains("8 AM", turns[2].Text, StringComparison.Ordinal); // the test business opens 8-20 every day
    }

    [Fact]
    public async Task Dtmf0_RedirectsTheLiveCallToTheTransferNumber()
    {
        var call = await PlaceCallAsync("Media Transfer Dental");
        await app.InTenantAsync(call.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            return await db.AgentPersonas.ExecuteUpdateAsync(s => s.SetProperty(a => a.TransferNumber, "+12125550177"));
        });
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call);
        await twilio.ReadUntilAsync(m => m is OutboundMediaMessage);

        await twilio.DigitAsync("0");

        var sandbox = (Portal.Telephony.SandboxTelephonyProvider)app.Services.GetRequiredService<Portal.Telephony.ITelephonyProvider>();
        await EventuallyAsync(() => Task.FromResult(sandbox.Redirects.Any(r => r.CallSid == call.CallSid)));
        var redirect = sandbox.Redirects.Single(r => r.CallSid == call.CallSid);
        var twiml = XDocument.Parse(redirect.Twiml!);
        Assert.Equal("+12125550177", twiml.Descendants("Number").Single().Value);
    }

    [Fact]
    public async Task Start_WithForgedToken_ClosesTheSocketWithoutMedia()
    {
        var call = await PlaceCallAsync("Media Forged Dental");
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call, token: call.Token[..^4] + "AAAA");

        Assert.Null(await twilio.ReadUntilAsync(_ => false));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, twilio.CloseStatus);
        Assert.Empty(twilio.Received);
        Assert.Null((await ConversationAsync(call.ConversationId)).EndedAt);
    }

    [Fact]
    public async Task Start_WithAnotherCallsToken_IsRejected()
    {
        var call = await PlaceCallAsync("Media Swap Dental");
        var other = await PlaceCallAsync("Media Swap Other Dental");
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call, token: other.Token);

        Assert.Null(await twilio.ReadUntilAsync(_ => false));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, twilio.CloseStatus);
        Assert.Empty(twilio.Received);
    }

    [Fact]
    public async Task MalformedFrames_AreSkipped_AndStopEndsTheConversation()
    {
        var call = await PlaceCallAsync("Media Stop Dental");
        await using var twilio = await FakeTwilio.ConnectAsync(app.ServerAddress);
        await twilio.StartAsync(call);
        await twilio.SendRawAsync("{broken"u8.ToArray());
        await twilio.SendRawAsync("{\"event\":\"nope\"}"u8.ToArray());
        await twilio.SendRawAsync(Encoding.UTF8.GetBytes("{\"event\":\"" + new string('x', 70_000) + "\"}"));

        Assert.NotNull(await twilio.ReadUntilAsync(m => m is OutboundMediaMessage)); // the call goes on
        await twilio.StopAsync(call);

        await EventuallyAsync(async () => (await ConversationAsync(call.ConversationId)).EndedAt is not null);
    }
}
