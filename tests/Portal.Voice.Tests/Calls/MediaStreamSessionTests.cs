using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Voice.Calls;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

public sealed class MediaStreamSessionTests
{
    private const string StreamSid = "MZ00000000000000000000000000000001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>0.1 s of a tone per sentence; records every text it speaks.</summary>
    private sealed class RecordingTextToSpeech : ITextToSpeech
    {
        public ConcurrentQueue<string> Texts { get; } = new();

        public double Seconds { get; init; } = 0.1;

        public string ProviderName => "fake";

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<VoiceInfo>>([new VoiceInfo("en-us", "US", "en-us")]);

        public Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken)
        {
            Texts.Enqueue(text);
            var samples = new short[(int)(22050 * Seconds)];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(4000 * Math.Sin(2 * Math.PI * 300 * i / 22050));
            }

            return Task.FromResult(new SynthesizedAudio(WavPcmTests.Wav(samples, 22050), "audio/wav"));
        }
    }

    private sealed class FakeHandler : IMediaCallHandler
    {
        public bool Accept { get; init; } = true;

        public bool CanTransfer { get; init; }

        public ConcurrentQueue<string> Utterances { get; } = new();

        public int Ends;

        public int Transfers;

        public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) =>
            Task.FromResult(Accept && start.CustomParameters.GetValueOrDefault("token") == "good" ? new MediaCallSetup("Thanks for calling Test Dental.", "en-us") : null);

        public Task<string> ProcessTurnAsync(string utterance, CancellationToken cancellationToken)
        {
            Utterances.Enqueue(utterance);
            return Task.FromResult(utterance == MediaStreamSession.HoursQuestion ? "We are open nine to five." : "We are at 1 Test Plaza.");
        }

        public Task<bool> TransferAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Transfers);
            return Task.FromResult(CanTransfer);
        }

        public Task EndAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Ends);
            return Task.CompletedTask;
        }
    }

    /// <summary>A session on one end of a loopback TCP WebSocket and a fake Twilio on the other.</summary>
    private sealed class Call : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly TcpClient _client;
        private readonly MediaStreamSession _session;
        private long _sequence;

        private Call(TcpListener listener, TcpClient client, WebSocket twilio, MediaStreamSession session, Task run, bool echoMarks)
        {
            _listener = listener;
            _client = client;
            Twilio = twilio;
            _session = session;
            Run = run;
            Reader = ReadAsync(echoMarks);
        }

        public WebSocket Twilio { get; }

        public Task Run { get; }

        public Task Reader { get; }

        public Channel<MediaStreamMessage> Received { get; } = Channel.CreateUnbounded<MediaStreamMessage>();

        public static async Task<Call> StartAsync(IMediaCallHandler handler, ITextToSpeech tts, MediaStreamSessionOptions options, bool echoMarks = false)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            var twilio = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            var session = new MediaStreamSession(serverSocket, handler, new PhoneSpeechCache(tts), TimeProvider.System, NullLogger.Instance, options);
            var run = Task.Run(() => session.RunAsync(CancellationToken.None));
            return new Call(listener, client, twilio, session, run, echoMarks);
        }

        public Task SendTextAsync(string json) => Twilio.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        public Task SendAsync(MediaStreamMessage message) => Twilio.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);

        public long Next() => Interlocked.Increment(ref _sequence);

        public async Task StartStreamAsync(string token = "good")
        {
            await SendAsync(new ConnectedMessage("Call", "1.0.0"));
            await SendAsync(new StartMessage(Next(), StreamSid, "AC1", "CA1", ["inbound"], MediaFormat.MuLaw8k, new Dictionary<string, string> { ["token"] = token }));
        }

        public Task DigitAsync(string digit) => SendAsync(new DtmfMessage(Next(), StreamSid, "inbound_track", digit));

        public async Task<T> NextAsync<T>()
            where T : MediaStreamMessage
        {
            using var cts = new CancellationTokenSource(Wait);
            while (true)
            {
                var message = await Received.Reader.ReadAsync(cts.Token);
                if (message is T t)
                {
                    return t;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Twilio.State == WebSocketState.Open)
            {
                await SendAsync(new StopMessage(Next(), StreamSid, "AC1", "CA1"));
            }

            await Run.WaitAsync(Wait);
            Twilio.Dispose();
            _client.Dispose();
            _listener.Stop();
            _session.Dispose();
        }

        private async Task ReadAsync(bool echoMarks)
        {
            var buffer = new byte[1 << 16];
            try
            {
                while (true)
                {
                    int length = 0;
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await Twilio.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = result.CloseStatus;
                        await Twilio.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        break;
                    }

                    Assert.True(MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out var error), error);
                    await Received.Writer.WriteAsync(message);
                    if (echoMarks && message is MarkMessage mark)
                    {
                        await SendAsync(new MarkMessage(Next(), StreamSid, mark.Name));
                    }
                }
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                Received.Writer.TryComplete();
            }
        }

        public WebSocketCloseStatus? CloseStatus { get; private set; }
    }

    private static readonly MediaStreamSessionOptions Fast = new() { LeadFrames = 100_000, SilenceTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Start_WithValidToken_SpeaksGreetingAndMenuAs160ByteFramesWithAMarkPerSentence()
    {
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(new FakeHandler(), tts, Fast);
        await call.StartStreamAsync();

        var media = await call.NextAsync<OutboundMediaMessage>();
        Assert.Equal(StreamSid, media.StreamSid);
        Assert.Equal(160, media.Payload.Length);
        var mark = await call.NextAsync<MarkMessage>();
        Assert.Equal(StreamSid, mark.StreamSid);
        await call.NextAsync<MarkMessage>();
        Assert.Contains("Thanks for calling Test Dental.", tts.Texts);
        Assert.Contains(MediaStreamSession.Menu, tts.Texts);
    }

    [Fact]
    public async Task Start_WithForgedToken_ClosesWithPolicyViolationAndSendsNoMedia()
    {
        var handler = new FakeHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync(token: "forged");

        await call.Run.WaitAsync(Wait);
        await call.Reader.WaitAsync(Wait);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, call.CloseStatus);
        Assert.False(call.Received.Reader.TryRead(out _));
        Assert.Equal(0, handler.Ends);
    }

    [Fact]
    public async Task Dtmf1_AsksTheHoursQuestionAsATurn_AndSpeaksTheReply()
    {
        var handler = new FakeHandler();
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(handler, tts, Fast);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();

        await call.DigitAsync("1");

        await WaitUntilAsync(() => tts.Texts.Contains("We are open nine to five."));
        Assert.Equal([MediaStreamSession.HoursQuestion], handler.Utterances);
    }

    [Fact]
    public async Task Dtmf_WhileSpeaking_SendsClearBeforeTheAnswer()
    {
        var handler = new FakeHandler();
        var tts = new RecordingTextToSpeech { Seconds = 2 };
        await using var call = await Call.StartAsync(handler, tts, Fast with { LeadFrames = 0 });
        await call.StartStreamAsync();
        await call.NextAsync<OutboundMediaMessage>();

        await call.DigitAsync("2");

        await call.NextAsync<ClearMessage>();
        await WaitUntilAsync(() => tts.Texts.Contains("We are at 1 Test Plaza."));
        Assert.Equal([MediaStreamSession.AddressQuestion], handler.Utterances);
    }

    [Fact]
    public async Task MalformedFrames_AreSkipped_AndTheCallGoesOn()
    {
        var handler = new FakeHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync();

        await call.SendTextAsync("{not json");
        await call.SendTextAsync("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\"}");
        await call.SendTextAsync("{\"event\":\"" + new string('x', 70_000) + "\"}"); // over the 64 KiB limit
        await call.Twilio.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await call.DigitAsync("2");

        await WaitUntilAsync(() => handler.Utterances.Contains(MediaStreamSession.AddressQuestion));
        Assert.Equal(WebSocketState.Open, call.Twilio.State);
    }

    [Fact]
    public async Task Stop_EndsTheConversationOnce()
    {
        var handler = new FakeHandler();
        var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();

        await call.DisposeAsync(); // sends stop

        Assert.True(call.Run.IsCompletedSuccessfully);
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task Dtmf0_WhenNoTransferIsPossible_SaysSo()
    {
        var handler = new FakeHandler { CanTransfer = false };
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(handler, tts, Fast);
        await call.StartStreamAsync();
        await call.DigitAsync("0");

        await WaitUntilAsync(() => tts.Texts.Contains(MediaStreamSession.TransferUnavailable));
        Assert.Equal(1, handler.Transfers);
        Assert.Contains(MediaStreamSession.TransferPrompt, tts.Texts);
    }

    [Fact]
    public async Task Silence_RepromptsThreeTimes_ThenHangsUp()
    {
        var handler = new FakeHandler();
        var tts = new RecordingTextToSpeech();
        var options = Fast with { SilenceTimeout = TimeSpan.FromMilliseconds(300) };
        await using var call = await Call.StartAsync(handler, tts, options, echoMarks: true);
        await call.StartStreamAsync();

        await call.Run.WaitAsync(Wait);
        await call.Reader.WaitAsync(Wait);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Single(tts.Texts, t => t == MediaStreamSession.RepromptPrefix); // cached after the first synthesis
        int marks = 0;
        while (call.Received.Reader.TryRead(out var message))
        {
            marks += message is MarkMessage ? 1 : 0;
        }

        Assert.Equal(2 + (3 * 2), marks); // greeting + menu, then three reprompts of two sentences each
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task CallerSpeech_WhileTheAgentSpeaks_SendsClear()
    {
        var tts = new RecordingTextToSpeech { Seconds = 3 };
        await using var call = await Call.StartAsync(new FakeHandler(), tts, Fast with { LeadFrames = 0 });
        await call.StartStreamAsync();
        await call.NextAsync<OutboundMediaMessage>();

        var silence = new byte[160];
        Array.Fill(silence, (byte)0xFF);
        var loud = new byte[160];
        for (int i = 0; i < loud.Length; i++)
        {
            loud[i] = Portal.Voice.Audio.MuLaw.EncodeSample((short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000)));
        }

        for (int k = 0; k < 60; k++)
        {
            await call.SendAsync(new MediaMessage(call.Next(), StreamSid, "inbound", k + 1, k * 20, k < 15 ? silence : loud));
        }

        await call.NextAsync<ClearMessage>();
    }

    [Fact]
    public void Sentences_SplitsAfterTerminalPunctuation() =>
        Assert.Equal(["Hello there.", "Press 1!", "Bye"], MediaStreamSession.Sentences("Hello there.  Press 1! Bye"));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
