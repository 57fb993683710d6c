using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>0.1 s of a tone per sentence (keyless WAV engine); records every text it speaks.</summary>
internal sealed class RecordingTextToSpeech : ITextToSpeech
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

/// <summary>Instant streaming text-to-speech: μ-law tone, <see cref="Seconds"/> per sentence, in 3 chunks of odd sizes.</summary>
internal sealed class FakeStreamingTextToSpeech : IStreamingTextToSpeech
{
    public ConcurrentQueue<string> Texts { get; } = new();

    public double Seconds { get; init; } = 0.1;

    public string ProviderName => "fake streaming";

    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VoiceInfo>>([new VoiceInfo("en-us", "US", "en-us")]);

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Assert.Equal(AudioFormat.Phone, format);
        Texts.Enqueue(text);
        var audio = new byte[(int)(8000 * Seconds)];
        for (int i = 0; i < audio.Length; i++)
        {
            audio[i] = MuLaw.EncodeSample((short)(6000 * Math.Sin(2 * Math.PI * 300 * i / 8000)));
        }

        int third = audio.Length / 3 + 7;
        for (int start = 0; start < audio.Length; start += third)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return audio.AsMemory(start, Math.Min(third, audio.Length - start));
        }
    }
}

/// <summary>A scripted recognizer: the test says what it "heard"; counts the audio it was sent.</summary>
internal sealed class FakeSpeechToText : ISpeechToText
{
    private readonly Channel<TranscriptEvent> _transcripts = Channel.CreateUnbounded<TranscriptEvent>();
    private long _audioBytes;
    private long _sent;

    public string ProviderName => "fake recognizer";

    public bool Refuse { get; init; }

    /// <summary>True while the fake holds caller speech it has not transcribed yet (a recognizer behind real time, <see cref="ISpeechBacklog"/>).</summary>
    public bool Backlog { get; set; }

    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    public SpeechToTextOptions? Options { get; private set; }

    /// <summary>Transcript events queued so far; compare with <see cref="MediaStreamSession.TranscriptsHandled"/>.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Say(string text, double confidence, int startMs, int endMs, bool speechFinal = true)
    {
        Interlocked.Increment(ref _sent);
        _transcripts.Writer.TryWrite(new TranscriptEvent(text, true, speechFinal, confidence, startMs, endMs));
    }

    public void Interim(string text, int startMs, int endMs)
    {
        Interlocked.Increment(ref _sent);
        _transcripts.Writer.TryWrite(new TranscriptEvent(text, false, false, 0.9, startMs, endMs));
    }

    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        if (Refuse)
        {
            throw new SpeechProviderException(ProviderName, "refused");
        }

        Options = options;
        return Task.FromResult<ISpeechToTextStream>(new Stream(this));
    }

    private sealed class Stream(FakeSpeechToText owner) : ISpeechToTextStream, ISpeechBacklog
    {
        public bool SpeechPending => owner.Backlog;

        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref owner._audioBytes, audio.Length);
            return ValueTask.CompletedTask;
        }

        public IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync(CancellationToken cancellationToken) => owner._transcripts.Reader.ReadAllAsync(cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            owner._transcripts.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            owner._transcripts.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A fake application side: replies come from <see cref="Reply"/>; records everything the session stores.</summary>
internal sealed class FakeCallHandler : IMediaCallHandler
{
    public bool Accept { get; init; } = true;

    public bool CanTransfer { get; init; }

    public bool RecordingEnabled { get; init; }

    public bool ConsentRequired { get; init; }

    /// <summary>The greeting <see cref="StartAsync"/> returns.</summary>
    public string Greeting { get; init; } = "Thanks for calling Test Dental.";

    /// <summary>When set, <see cref="StartAsync"/> throws it (a database failure at stream start).</summary>
    public Exception? StartFailure { get; init; }

    /// <summary>Progress reports of the last agent turn: what was heard so far, and whether it was all of it.</summary>
    public ConcurrentQueue<(string Heard, bool Complete)> Played { get; } = new();

    /// <summary>Starts whose setup failed (<see cref="StartFailedAsync"/>).</summary>
    public ConcurrentQueue<string> StartFailures { get; } = new();

    /// <summary>Hand-overs stored: the caller's request and the prompt heard.</summary>
    public ConcurrentQueue<(string Request, string Prompt)> TransfersStored { get; } = new();

    /// <summary>Utterance → (reply, state after the turn).</summary>
    public Func<string, (string Reply, MediaTurnState State)> Reply { get; init; } = u => (u == CallPrompts.HoursQuestion ? "We are open nine to five." : "We are at 1 Test Plaza.", MediaTurnState.Idle);

    /// <summary>When set, the reply stops after its first sentence until this completes (a slow language model).</summary>
    public Task? HoldAfterFirstSentence { get; init; }

    public ConcurrentQueue<string> Utterances { get; } = new();

    public ConcurrentQueue<string> Heard { get; } = new();

    public ConcurrentQueue<VoiceTurnMetrics> Metrics { get; } = new();

    public ConcurrentQueue<bool> Consents { get; } = new();

    public ConcurrentQueue<(byte[] Wav, int DurationMs)> Recordings { get; } = new();

    public int Ends;

    public int Transfers;

    public MediaTurnState LastTurn { get; private set; } = MediaTurnState.Idle;

    public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) =>
        StartFailure is { } failure
            ? Task.FromException<MediaCallSetup?>(failure)
            : Task.FromResult(Accept && start.CustomParameters.GetValueOrDefault("token") == "good"
                ? new MediaCallSetup(Greeting, "en-us") { RecordingEnabled = RecordingEnabled, ConsentRequired = ConsentRequired }
                : null);

    public Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken)
    {
        StartFailures.Enqueue(reason);
        return Task.CompletedTask;
    }

    public Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken)
    {
        Played.Enqueue((heardSoFar, complete));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ProcessTurnAsync(string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        Utterances.Enqueue(utterance);
        var (reply, state) = Reply(utterance);
        LastTurn = state;
        // Streamed in small fragments, as a language model would.
        int firstSentenceEnd = reply.IndexOf(". ", StringComparison.Ordinal) + 2;
        for (int i = 0; i < reply.Length; i += 7)
        {
            if (HoldAfterFirstSentence is { } hold && i >= firstSentenceEnd && i - 7 < firstSentenceEnd)
            {
                await hold.WaitAsync(cancellationToken);
            }

            yield return reply.Substring(i, Math.Min(7, reply.Length - i));
        }
    }

    public Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken)
    {
        Heard.Enqueue(heardText);
        return Task.CompletedTask;
    }

    public Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken)
    {
        Metrics.Enqueue(metrics);
        return Task.CompletedTask;
    }

    public Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken)
    {
        Consents.Enqueue(consent);
        return Task.CompletedTask;
    }

    public Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken)
    {
        Recordings.Enqueue((wav.ToArray(), durationMs));
        return Task.CompletedTask;
    }

    public Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Transfers);
        if (CanTransfer)
        {
            TransfersStored.Enqueue((request, heardPrompt));
        }

        return Task.FromResult(CanTransfer);
    }

    public Task EndAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Ends);
        return Task.CompletedTask;
    }
}

/// <summary>A session on one end of a loopback TCP WebSocket and a fake Twilio on the other.</summary>
internal sealed class Call : IAsyncDisposable
{
    public const string StreamSid = "MZ00000000000000000000000000000001";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly byte[] SilenceFrame = Enumerable.Repeat((byte)0xFF, 160).ToArray();
    private static readonly byte[] LoudFrame = Enumerable.Range(0, 160).Select(i => MuLaw.EncodeSample((short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000)))).ToArray();

    private readonly TcpListener _listener;
    private readonly TcpClient _client;
    private long _sequence;
    private long _clockMs;

    private Call(TcpListener listener, TcpClient client, WebSocket twilio, MediaStreamSession session, Task run, bool echoMarks)
    {
        _listener = listener;
        _client = client;
        Twilio = twilio;
        Session = session;
        Run = run;
        Reader = ReadAsync(echoMarks);
    }

    public WebSocket Twilio { get; }

    public MediaStreamSession Session { get; }

    public Task Run { get; }

    public Task Reader { get; }

    public Channel<MediaStreamMessage> Received { get; } = Channel.CreateUnbounded<MediaStreamMessage>();

    public ConcurrentQueue<MediaStreamMessage> All { get; } = new();

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>Stream time of the next inbound frame, ms.</summary>
    public long ClockMs => Interlocked.Read(ref _clockMs);

    public static async Task<Call> StartAsync(
        IMediaCallHandler handler,
        ITextToSpeech tts,
        MediaStreamSessionOptions options,
        bool echoMarks = false,
        ISpeechToText? speechToText = null,
        IStreamingTextToSpeech? streaming = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var twilio = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var session = new MediaStreamSession(serverSocket, handler, new PhoneSpeechCache(tts), TimeProvider.System, NullLogger.Instance, options, speechToText, streaming);
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

    /// <summary>Sends <paramref name="ms"/> of caller audio (silence or a loud tone) as 20 ms frames, advancing stream time.</summary>
    /// <summary>
    /// Waits until the session has taken every transcript <paramref name="stt"/> queued. Transcripts and media frames travel
    /// on separate streams, so a test that sends silence after a transcript must wait here first, or a busy machine may
    /// deliver all the silence before the words and the turn never ends.
    /// </summary>
    public Task TranscriptsTakenAsync(FakeSpeechToText stt) =>
        WaitUntilAsync(() => Session.TranscriptsHandled >= stt.Sent, "transcripts taken");

    public async Task AudioAsync(int ms, bool loud = false)
    {
        for (int t = 0; t < ms; t += 20)
        {
            long ts = Interlocked.Add(ref _clockMs, 20) - 20;
            await SendAsync(new MediaMessage(Next(), StreamSid, "inbound", Next(), ts, loud ? LoudFrame : SilenceFrame));
        }
    }

    public async Task<T> NextAsync<T>(Func<T, bool>? where = null)
        where T : MediaStreamMessage
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var message = await Received.Reader.ReadAsync(cts.Token);
            if (message is T t && (where is null || where(t)))
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
        Session.Dispose();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what = "condition")
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what + " not met in time");
            await Task.Delay(20);
        }
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
                All.Enqueue(message);
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
}
