using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Portal.Fakes;
using Portal.Fakes.Twilio;
using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Providers;

/// <summary>
/// The call simulator against a tiny Twilio-side agent on loopback: the agent checks the webhook signature, answers
/// TwiML with a token parameter, greets on <c>start</c>, listens with the production VAD/endpointer and answers each
/// utterance and digit with real speech followed by a mark.
/// </summary>
public sealed class CallSimulatorTests : IAsyncLifetime, IDisposable
{
    private const string Token = "0123456789abcdef0123456789abcdef";
    private readonly HttpClient _http = new();
    private readonly ConcurrentQueue<string> _log = new();
    private LoopbackServer _agent = null!;
    private byte[] _greeting = [];
    private byte[] _reply = [];

    public async Task InitializeAsync()
    {
        _greeting = await EspeakAudio.SayAsync("Hello, how can I help?", AudioFormat.Phone);
        _reply = await EspeakAudio.SayAsync("Sure, one moment.", AudioFormat.Phone);
        _agent = await LoopbackServer.StartAsync(HandleAsync);
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private SimulatedCallOptions Call(params string[] script) => new()
    {
        BaseUrl = _agent.BaseUrl,
        To = "+12125550100",
        AuthToken = Token,
        Script = script,
        AgentQuietMs = 500,
        PauseBeforeLineMs = 300,
        AgentTimeoutMs = 8000,
    };

    [Fact]
    public async Task Call_SpeechAndDtmf_AgentAnswersEachStep_LatencyMeasured_MarksEchoed()
    {
        var result = await TwilioCallSimulator.RunAsync(Call("I would like a cleaning tomorrow", "dtmf:1"), _http, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal("tok-" + result.CallSid, result.StreamParameters["token"]);
        Assert.Contains("start token=tok-" + result.CallSid, _log);
        Assert.Contains("utterance", _log);
        Assert.Contains("dtmf 1", _log);
        Assert.Contains("stop", _log);
        Assert.Contains("upgrade signed", _log);
        Assert.NotNull(result.GreetingLatencyMs);
        Assert.Equal(_greeting.Length, result.Greeting.Length);
        Assert.Equal(2, result.Turns.Count);
        Assert.All(result.Turns, t =>
        {
            Assert.NotNull(t.LatencyMs);
            Assert.Equal(_reply.Length, t.AgentAudio.Length);
        });
        // Latency is measured from the end of the caller's audio to the agent's first frame: never negative. Its size is a
        // benchmark figure (docs/benchmarks.md), not a test assertion.
        Assert.All(result.Turns, t => Assert.True(t.LatencyMs >= 0, $"latency {t.LatencyMs} ms"));
        Assert.Equal(3, result.MarksEchoed); // greeting + 2 replies, each echoed after playback
        Assert.Contains(_log, l => l.StartsWith("mark-echo greeting after ", StringComparison.Ordinal) && int.Parse(l.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture) >= (_greeting.Length / 8) - 100);
        Assert.True(result.MediaFramesSent > 100);

        string wav = Path.Combine(Path.GetTempPath(), $"sim-{result.CallSid}.wav");
        result.SaveAgentWav(wav);
        Assert.True(WavPcm.TryRead(File.ReadAllBytes(wav), out var pcm, out int rate, out _));
        Assert.Equal(8000, rate);
        Assert.True(SpokenAudio.RmsDbfs(pcm) > -40);
        File.Delete(wav);
    }

    [Fact]
    public async Task WrongAuthToken_WebhookRefused_ReportedAsError()
    {
        var result = await TwilioCallSimulator.RunAsync(Call("hello") with { AuthToken = "wrong-token-wrong-token" }, _http, CancellationToken.None);

        Assert.Equal("voice webhook answered HTTP 403", result.Error);
        Assert.Empty(result.Turns);
    }

    [Fact]
    public async Task ConcurrentCalls_AllComplete()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TwilioCallSimulator.RunAsync(Call("dtmf:2"), _http, CancellationToken.None)));

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(3, results.Select(r => r.CallSid).Distinct().Count());
        Assert.NotNull(TwilioCallSimulator.Percentile(results.Select(r => r.Turns[0].LatencyMs!.Value), 95));
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/twilio/voice")
        {
            var form = await context.Request.ReadFormAsync();
            string url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
            if (!TwilioSignature.IsValid(Token, url, form, context.Request.Headers[TwilioSignature.HeaderName]))
            {
                context.Response.StatusCode = 403;
                return;
            }

            context.Response.ContentType = PortalTwiml.ContentType;
            await context.Response.WriteAsync(PortalTwiml.ConnectStream($"wss://{context.Request.Host}/twilio/media", [new("token", "tok-" + form["CallSid"])]));
            return;
        }

        // Twilio signs the upgrade over the wss:// URL of the TwiML's <Stream> (docs/protocols/twilio.md).
        string streamUrl = $"wss://{context.Request.Host}{context.Request.Path}";
        _log.Enqueue(TwilioSignature.IsValid(Token, streamUrl, context.Request.Headers[TwilioSignature.HeaderName]) ? "upgrade signed" : "upgrade unsigned");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await AgentAsync(socket);
    }

    private async Task AgentAsync(WebSocket socket)
    {
        var vad = new VoiceActivityDetector();
        var endpointer = new Endpointer();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var marksSent = new ConcurrentDictionary<string, long>();
        string? streamSid = null;
        var buffer = new byte[64 * 1024];
        var send = new SemaphoreSlim(1, 1);

        async Task SpeakAsync(byte[] audio, string mark)
        {
            await send.WaitAsync();
            try
            {
                for (int i = 0; i < audio.Length; i += 800)
                {
                    var msg = new OutboundMediaMessage(streamSid!, audio.AsMemory(i, Math.Min(800, audio.Length - i)));
                    await socket.SendAsync(msg.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);
                }

                marksSent[mark] = clock.ElapsedMilliseconds;
                await socket.SendAsync(new MarkMessage(null, streamSid!, mark).ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                send.Release();
            }
        }

        int replies = 0;
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                break;
            }

            if (!MediaStreamMessage.TryParse(buffer.AsSpan(0, result.Count), out var message, out _))
            {
                continue;
            }

            switch (message)
            {
                case StartMessage start:
                    streamSid = start.StreamSid;
                    _log.Enqueue("start token=" + start.CustomParameters["token"]);
                    await SpeakAsync(_greeting, "greeting");
                    break;
                case MediaMessage media:
                    if (endpointer.OnFrame(media.Timestamp, vad.ProcessMuLawFrame(media.Payload.Span, media.Timestamp)) is not null)
                    {
                        _log.Enqueue("utterance");
                        await SpeakAsync(_reply, "reply-" + ++replies);
                    }

                    break;
                case DtmfMessage dtmf:
                    _log.Enqueue("dtmf " + dtmf.Digit);
                    await SpeakAsync(_reply, "reply-" + ++replies);
                    break;
                case MarkMessage mark:
                    _log.Enqueue($"mark-echo {mark.Name} after {clock.ElapsedMilliseconds - marksSent[mark.Name]} ms");
                    break;
                case StopMessage:
                    _log.Enqueue("stop");
                    break;
            }
        }

        send.Dispose();
    }
}
