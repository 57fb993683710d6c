using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Voice.Benchmarks;

internal sealed record LoadResult(List<double> Turns, List<double> Greetings, List<double> Jitter, long MemoryPerCallBytes);

/// <summary>N concurrent calls, each a real <see cref="MediaStreamSession"/> on a loopback WebSocket with a fake Twilio client.</summary>
internal static class CallLoad
{
    private const string Reply = "Sure, I can help with that. What day works best for you?";

    public static async Task<LoadResult> RunAsync(int calls, int turns)
    {
        var tts = new InstantTextToSpeech();
        var speech = new PhoneSpeechCache(new NoWavTextToSpeech());
        var options = new MediaStreamSessionOptions { LeadFrames = 0, SilenceTimeout = TimeSpan.FromMinutes(10) };
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var started = new List<BenchCall>();
        for (int i = 0; i < calls; i++)
        {
            started.Add(await BenchCall.OpenAsync(i, speech, tts, options));
        }

        await Task.WhenAll(started.Select(c => c.GreetAsync()));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long during = GC.GetTotalMemory(forceFullCollection: true);
        await Task.WhenAll(started.Select(c => c.TalkAsync(turns)));
        var result = new LoadResult(
            [.. started.SelectMany(c => c.TurnMs)],
            [.. started.Select(c => c.GreetingMs)],
            [.. started.SelectMany(c => c.JitterMs)],
            (during - before) / calls);
        foreach (var c in started)
        {
            await c.DisposeAsync();
        }

        return result;
    }

    /// <summary>One call: the fake Twilio side, the session and its fake recognizer.</summary>
    private sealed class BenchCall : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly TcpClient _client;
        private readonly WebSocket _twilio;
        private readonly MediaStreamSession _session;
        private readonly ScriptedRecognizer _stt;
        private readonly Task _run;
        private readonly Task _reader;
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly string _sid;
        private long _seq;
        private long _clock;
        private long _startedAt;
        private long _lastFrameAt;
        private volatile TaskCompletionSource<long>? _firstFrame;
        private volatile TaskCompletionSource? _marks;
        private int _marksWanted;

        private BenchCall(int index, TcpListener listener, TcpClient client, WebSocket twilio, MediaStreamSession session, ScriptedRecognizer stt)
        {
            _sid = "MZ" + index.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
            _listener = listener;
            _client = client;
            _twilio = twilio;
            _session = session;
            _stt = stt;
            _run = Task.Run(() => session.RunAsync(CancellationToken.None));
            _reader = Task.Run(ReadAsync);
        }

        public List<double> TurnMs { get; } = [];

        public List<double> JitterMs { get; } = [];

        public double GreetingMs { get; private set; }

        public static async Task<BenchCall> OpenAsync(int index, PhoneSpeechCache speech, IStreamingTextToSpeech tts, MediaStreamSessionOptions options)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            server.NoDelay = true;
            var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            var twilio = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            var stt = new ScriptedRecognizer();
            var session = new MediaStreamSession(serverSocket, new InstantHandler(), speech, TimeProvider.System, NullLogger.Instance, options, stt, tts);
            return new BenchCall(index, listener, client, twilio, session, stt);
        }

        public async Task GreetAsync()
        {
            _firstFrame = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _marks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _marksWanted, 1);
            await SendAsync(new ConnectedMessage("Call", "1.0.0"));
            _startedAt = Stopwatch.GetTimestamp();
            await SendAsync(new StartMessage(++_seq, _sid, "AC1", "CA" + _sid[2..], ["inbound"], MediaFormat.MuLaw8k, new Dictionary<string, string> { ["token"] = "t" }));
            GreetingMs = Stopwatch.GetElapsedTime(_startedAt, await _firstFrame.Task).TotalMilliseconds;
            await _marks.Task;
            while (_stt.Stream is null || _session.AgentSpeaking)
            {
                await Task.Delay(5);
            }
        }

        public async Task TalkAsync(int turns)
        {
            for (int t = 0; t < turns; t++)
            {
                for (int f = 0; f < 60; f++)
                {
                    await SendAsync(new MediaMessage(++_seq, _sid, "inbound", _seq, _clock, Silence));
                    _clock += 20;
                }

                _firstFrame = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                _marks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _marksWanted, 2);
                long said = Stopwatch.GetTimestamp();
                _stt.Stream!.Say(new TranscriptEvent("I would like to book a cleaning please", true, true, 0.95, (int)_clock - 1100, (int)_clock - 100));
                TurnMs.Add(Stopwatch.GetElapsedTime(said, await _firstFrame.Task).TotalMilliseconds);
                await _marks.Task;
                while (_session.AgentSpeaking)
                {
                    await Task.Delay(5);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await SendAsync(new StopMessage(++_seq, _sid, "AC1", "CA1"));
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
            _twilio.Dispose();
            _client.Dispose();
            _listener.Stop();
            _session.Dispose();
            _send.Dispose();
            await Task.WhenAny(_reader, Task.Delay(1000));
        }

        private static readonly byte[] Silence = Enumerable.Repeat((byte)0xFF, 160).ToArray();

        private async Task SendAsync(MediaStreamMessage message)
        {
            await _send.WaitAsync();
            try
            {
                await _twilio.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);
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
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await _twilio.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    long now = Stopwatch.GetTimestamp();
                    if (!MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out _))
                    {
                        continue;
                    }

                    switch (message)
                    {
                        case OutboundMediaMessage:
                            if (_firstFrame is { Task.IsCompleted: false } first)
                            {
                                first.TrySetResult(now);
                            }
                            else if (_lastFrameAt != 0)
                            {
                                JitterMs.Add(Math.Abs(Stopwatch.GetElapsedTime(_lastFrameAt, now).TotalMilliseconds - 20));
                            }

                            _lastFrameAt = now;
                            break;
                        case MarkMessage mark:
                            _lastFrameAt = 0; // a new sentence restarts the pacing schedule
                            await SendAsync(new MarkMessage(++_seq, _sid, mark.Name));
                            if (Interlocked.Decrement(ref _marksWanted) == 0)
                            {
                                _marks?.TrySetResult();
                            }

                            break;
                    }
                }
            }
            catch (WebSocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private sealed class InstantHandler : IMediaCallHandler
    {
        public MediaTurnState LastTurn => MediaTurnState.Idle;

        public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) =>
            Task.FromResult<MediaCallSetup?>(new MediaCallSetup("Thanks for calling Bench Dental.", "bench"));

        public async IAsyncEnumerable<string> ProcessTurnAsync(string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield return Reply;
        }

        public Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TransferAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public Task EndAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Instant μ-law audio: 0.5 s per sentence in 100 ms chunks.</summary>
    private sealed class InstantTextToSpeech : IStreamingTextToSpeech
    {
        private static readonly byte[] Tone = Enumerable.Range(0, 4000).Select(i => MuLaw.EncodeSample((short)(6000 * Math.Sin(2 * Math.PI * 300 * i / 8000)))).ToArray();

        public string ProviderName => "instant";

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VoiceInfo>>([]);

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            for (int i = 0; i < Tone.Length; i += 800)
            {
                yield return Tone.AsMemory(i, 800);
            }
        }
    }

    private sealed class NoWavTextToSpeech : ITextToSpeech
    {
        public string ProviderName => "unused";

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VoiceInfo>>([]);

        public Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark speaks through the streaming provider only.");
    }

    private sealed class ScriptedRecognizer : ISpeechToText
    {
        public string ProviderName => "scripted";

        public RecognizerStream? Stream { get; private set; }

        public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
        {
            Stream = new RecognizerStream();
            return Task.FromResult<ISpeechToTextStream>(Stream);
        }
    }

    private sealed class RecognizerStream : ISpeechToTextStream
    {
        private readonly Channel<TranscriptEvent> _out = Channel.CreateUnbounded<TranscriptEvent>();

        public void Say(TranscriptEvent e) => _out.Writer.TryWrite(e);

        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync(CancellationToken cancellationToken) => _out.Reader.ReadAllAsync(cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            _out.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _out.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
