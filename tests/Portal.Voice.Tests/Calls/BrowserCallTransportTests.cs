using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

public sealed class BrowserCallTransportTests
{
    private static readonly Dictionary<string, string> Good = new() { ["token"] = "good" };

    [Fact]
    public async Task Receive_FirstEvent_IsSynthesizedStartWithCallSidAndParameters()
    {
        await using var pair = await SocketPair.OpenAsync();
        using var transport = new BrowserCallTransport(pair.Server, "BC1", Good);
        var start = Assert.IsType<StartMessage>((await transport.ReceiveAsync(pair.Ct)).Message);
        Assert.Equal("BC1", start.CallSid);
        Assert.Equal("good", start.CustomParameters["token"]);
        Assert.Equal(AudioFormat.Wideband, transport.RecognizerFormat);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"event\":\"dance\"}", "unknown event")]
    [InlineData("{\"event\":\"dtmf\",\"digit\":\"x\"}", "dtmf needs")]
    [InlineData("{\"event\":\"mark\"}", "mark needs")]
    [InlineData("[1,2]", "not a JSON object")]
    public async Task ParseControl_BadFrame_IsMalformedNotThrown(string json, string reason)
    {
        await using var pair = await SocketPair.OpenAsync();
        using var transport = new BrowserCallTransport(pair.Server, "BC1", Good);
        var e = transport.ParseControl(Encoding.UTF8.GetBytes(json));
        Assert.Null(e.Message);
        Assert.Contains(reason, e.Error, StringComparison.Ordinal);
        Assert.False(e.IsClosed);
    }

    [Fact]
    public async Task Receive_PcmFrame_GivesPhoneFrameForThePipelineAndWidebandForTheRecognizer()
    {
        await using var pair = await SocketPair.OpenAsync();
        using var transport = new BrowserCallTransport(pair.Server, "BC1", Good);
        await transport.ReceiveAsync(pair.Ct); // start
        for (int k = 0; k < 3; k++)
        {
            await pair.Client.SendAsync(Tone(k), WebSocketMessageType.Binary, true, pair.Ct);
            var e = await transport.ReceiveAsync(pair.Ct);
            var media = Assert.IsType<MediaMessage>(e.Message);
            Assert.Equal(MuLawFrameSplitter.FrameBytes, media.Payload.Length);
            Assert.Equal(k * 20, media.Timestamp);
            Assert.Equal(Tone(k), e.RecognizerAudio.ToArray());
            if (k == 2)
            {
                // After the filter's start-up the 8 kHz frame carries the tone's level (about −16 dBFS), not silence.
                var pcm = new short[160];
                MuLaw.Decode(media.Payload.Span, pcm);
                Assert.InRange(pcm.Max(s => Math.Abs((int)s)), 4000, 7000);
            }
        }

        await pair.Client.SendAsync(new byte[600], WebSocketMessageType.Binary, true, pair.Ct);
        var bad = await transport.ReceiveAsync(pair.Ct);
        Assert.Contains("expected 640", bad.Error, StringComparison.Ordinal);

        await pair.Client.SendAsync("{\"event\":\"dtmf\",\"digit\":\"1\"}"u8.ToArray(), WebSocketMessageType.Text, true, pair.Ct);
        Assert.Equal("1", Assert.IsType<DtmfMessage>((await transport.ReceiveAsync(pair.Ct)).Message).Digit);
        await pair.Client.SendAsync("{\"event\":\"mark\",\"name\":\"s1\"}"u8.ToArray(), WebSocketMessageType.Text, true, pair.Ct);
        Assert.Equal("s1", Assert.IsType<MarkMessage>((await transport.ReceiveAsync(pair.Ct)).Message).Name);
        await pair.Client.SendAsync("{\"event\":\"stop\"}"u8.ToArray(), WebSocketMessageType.Text, true, pair.Ct);
        Assert.IsType<StopMessage>((await transport.ReceiveAsync(pair.Ct)).Message);
        await pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", pair.Ct);
        Assert.True((await transport.ReceiveAsync(pair.Ct)).IsClosed);
    }

    [Fact]
    public async Task Send_AudioMarkClearEnded_ReachTheBrowserAsPcm16AndJson()
    {
        await using var pair = await SocketPair.OpenAsync();
        using var transport = new BrowserCallTransport(pair.Server, "BC1", Good);
        var ulaw = new byte[160];
        for (int i = 0; i < ulaw.Length; i++)
        {
            ulaw[i] = MuLaw.EncodeSample((short)(8000 * Math.Sin(2 * Math.PI * 400 * i / 8000)));
        }

        await transport.SendAudioAsync(ulaw, pair.Ct);
        int marked = 0;
        await transport.SendMarkAsync("s1", "We open at nine.", () => marked++, pair.Ct);
        await transport.SendClearAsync(() => marked++, pair.Ct);
        await transport.SendCallerTranscriptAsync("what are your hours", final: false, pair.Ct);
        await transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "goodbye", pair.Ct);
        Assert.Equal(2, marked);

        var (type, bytes) = await pair.ReceiveAsync();
        Assert.Equal((WebSocketMessageType.Binary, 640), (type, bytes.Length));
        Assert.Equal("""{"event":"transcript","role":"agent","text":"We open at nine.","final":true,"mark":"s1"}""", Encoding.UTF8.GetString((await pair.ReceiveAsync()).Bytes));
        Assert.Equal("""{"event":"mark","name":"s1"}""", Encoding.UTF8.GetString((await pair.ReceiveAsync()).Bytes));
        Assert.Equal("""{"event":"clear"}""", Encoding.UTF8.GetString((await pair.ReceiveAsync()).Bytes));
        Assert.Equal("""{"event":"transcript","role":"caller","text":"what are your hours","final":false}""", Encoding.UTF8.GetString((await pair.ReceiveAsync()).Bytes));
        Assert.Equal("""{"event":"ended","reason":"goodbye"}""", Encoding.UTF8.GetString((await pair.ReceiveAsync()).Bytes));
        Assert.Equal(WebSocketMessageType.Close, (await pair.ReceiveAsync()).Type);

        // After the close nothing more leaves and nothing throws.
        await transport.SendAudioAsync(ulaw, pair.Ct);
        Assert.False(transport.IsOpen);
    }

    [Fact]
    public async Task Session_OverBrowserTransport_GreetsAnswersFromWidebandRecognizerAndEnds()
    {
        await using var pair = await SocketPair.OpenAsync();
        using var transport = new BrowserCallTransport(pair.Server, "BC1", Good);
        var handler = new FakeCallHandler();
        var stt = new FakeSpeechToText();
        var captions = new ConcurrentQueue<string>();
        var observed = new ObservedSpeechToText(stt, (t, ct) =>
        {
            captions.Enqueue(t.Text);
            return transport.SendCallerTranscriptAsync(t.Text, t.IsFinal, ct);
        });
        using var session = new MediaStreamSession(
            transport, new BrowserCallHandler(handler), new PhoneSpeechCache(new RecordingTextToSpeech()), TimeProvider.System,
            NullLogger.Instance, new MediaStreamSessionOptions(), observed);
        var run = session.RunAsync(pair.Ct);

        // The greeting arrives as 16 kHz PCM16 frames, then its sentence and mark.
        var agent = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript");
        Assert.Equal("Thanks for calling Test Dental.", agent.GetProperty("text").GetString());
        Assert.True(pair.BinaryFrames > 0);
        Assert.Equal(0, pair.OddFrames);
        var mark = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "mark");
        Assert.True(session.AgentSpeaking);
        await pair.Client.SendAsync(Encoding.UTF8.GetBytes($$"""{"event":"mark","name":"{{mark.GetProperty("name").GetString()}}"}"""), WebSocketMessageType.Text, true, pair.Ct);

        for (int k = 0; k < 10; k++)
        {
            await pair.Client.SendAsync(new byte[BrowserCallTransport.InputFrameBytes], WebSocketMessageType.Binary, true, pair.Ct);
        }

        await WaitUntilAsync(() => stt.AudioBytes >= 10 * BrowserCallTransport.InputFrameBytes);
        Assert.Equal(AudioFormat.Wideband, stt.Options!.Format);

        // Two final results make one turn: the page sees the words so far as interim lines, then the turn as one line,
        // exactly as the conversation receives (and stores) it.
        stt.Say("What are your", 0.9, 0, 400, speechFinal: false);
        var soFar = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript" && j.GetProperty("role").GetString() == "caller");
        Assert.Equal(("What are your", false), (soFar.GetProperty("text").GetString(), soFar.GetProperty("final").GetBoolean()));
        stt.Say("hours?", 0.9, 400, 800);
        soFar = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript" && j.GetProperty("role").GetString() == "caller");
        Assert.Equal(("What are your hours?", false), (soFar.GetProperty("text").GetString(), soFar.GetProperty("final").GetBoolean()));
        var caller = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript" && j.GetProperty("role").GetString() == "caller");
        Assert.Equal(("What are your hours?", true), (caller.GetProperty("text").GetString(), caller.GetProperty("final").GetBoolean()));
        var reply = await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript" && j.GetProperty("role").GetString() == "agent");
        Assert.Equal("We are open nine to five.", reply.GetProperty("text").GetString());
        Assert.Equal(["What are your hours?"], handler.Utterances);

        // Key 0 on a browser call: no phone line to transfer to.
        await pair.Client.SendAsync("{\"event\":\"dtmf\",\"digit\":\"0\"}"u8.ToArray(), WebSocketMessageType.Text, true, pair.Ct);
        await pair.NextJsonAsync(j => j.GetProperty("event").GetString() == "transcript" && j.GetProperty("text").GetString()!.StartsWith("Sorry, no one is available", StringComparison.Ordinal));
        Assert.Equal(0, handler.Transfers);

        await pair.Client.SendAsync("{\"event\":\"stop\"}"u8.ToArray(), WebSocketMessageType.Text, true, pair.Ct);
        await run.WaitAsync(pair.Ct);
        Assert.Equal(1, handler.Ends);
        Assert.Equal(["What are your", "hours?"], captions);
    }

    private static byte[] Tone(int frame)
    {
        var bytes = new byte[BrowserCallTransport.InputFrameBytes];
        for (int i = 0; i < bytes.Length / 2; i++)
        {
            int n = (frame * 320) + i;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (short)(5000 * Math.Sin(2 * Math.PI * 440 * n / 16000)));
        }

        return bytes;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>A server and a client WebSocket joined over loopback TCP.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly TcpClient _clientTcp;
        private readonly TcpClient _serverTcp;
        private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(20));

        private SocketPair(TcpListener listener, TcpClient clientTcp, TcpClient serverTcp)
        {
            _listener = listener;
            _clientTcp = clientTcp;
            _serverTcp = serverTcp;
            Server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
            Client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        }

        public WebSocket Server { get; }

        public WebSocket Client { get; }

        public CancellationToken Ct => _cts.Token;

        public int BinaryFrames { get; private set; }

        public int OddFrames { get; private set; }

        public static async Task<SocketPair> OpenAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            var connect = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            await connect;
            return new SocketPair(listener, client, server);
        }

        public async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync()
        {
            var buffer = new byte[8192];
            int length = 0;
            WebSocketReceiveResult r;
            do
            {
                r = await Client.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), Ct);
                length += r.Count;
            }
            while (!r.EndOfMessage);
            return (r.MessageType, buffer[..length]);
        }

        /// <summary>Skips binary audio (counting it) and JSON events until one matches.</summary>
        public async Task<JsonElement> NextJsonAsync(Func<JsonElement, bool> where)
        {
            while (true)
            {
                var (type, bytes) = await ReceiveAsync();
                Assert.NotEqual(WebSocketMessageType.Close, type);
                if (type == WebSocketMessageType.Binary)
                {
                    BinaryFrames++;
                    OddFrames += bytes.Length == 640 ? 0 : 1;
                    continue;
                }

                var json = JsonDocument.Parse(bytes).RootElement.Clone();
                if (where(json))
                {
                    return json;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Client.Dispose();
            Server.Dispose();
            _clientTcp.Dispose();
            _serverTcp.Dispose();
            _listener.Stop();
            _listener.Dispose();
            _cts.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
