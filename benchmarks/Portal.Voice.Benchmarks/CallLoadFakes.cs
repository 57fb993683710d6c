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

/// <summary>The application side of a bench call: a fixed reply at once, its timing reported to the <see cref="TurnProbe"/>.</summary>
internal sealed class InstantHandler(TurnProbe probe) : IMediaCallHandler
{
    public MediaTurnState LastTurn => MediaTurnState.Idle;

    public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) =>
        Task.FromResult<MediaCallSetup?>(new MediaCallSetup("Thanks for calling Bench Dental.", "bench"));

    public async IAsyncEnumerable<string> ProcessTurnAsync(string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        probe.Engine();
        await Task.CompletedTask;
        yield return CallLoad.Reply;
    }

    public Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task EndAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Instant μ-law audio: 0.5 s per sentence in 100 ms chunks.</summary>
internal sealed class InstantTextToSpeech(TurnProbe probe) : IStreamingTextToSpeech
{
    private static readonly byte[] Tone = Enumerable.Range(0, 4000).Select(i => MuLaw.EncodeSample((short)(6000 * Math.Sin(2 * Math.PI * 300 * i / 8000)))).ToArray();

    public string ProviderName => "instant";

    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VoiceInfo>>([]);

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        probe.Tts();
        await Task.CompletedTask;
        for (int i = 0; i < Tone.Length; i += 800)
        {
            yield return Tone.AsMemory(i, 800);
        }
    }
}

/// <summary>A WAV engine that is never asked (the bench streams); throws if it is.</summary>
internal sealed class NoWavTextToSpeech : ITextToSpeech
{
    public string ProviderName => "unused";

    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VoiceInfo>>([]);

    public Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The benchmark speaks through the streaming provider only.");
}

/// <summary>A recognizer whose stream the bench drives: it "hears" what the call says, when the call says it.</summary>
internal sealed class ScriptedRecognizer(TurnProbe probe) : ISpeechToText
{
    public string ProviderName => "scripted";

    public RecognizerStream? Stream { get; private set; }

    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        Stream = new RecognizerStream(probe);
        return Task.FromResult<ISpeechToTextStream>(Stream);
    }
}

/// <summary>The stream of <see cref="ScriptedRecognizer"/>.</summary>
internal sealed class RecognizerStream(TurnProbe probe) : ISpeechToTextStream
{
    private readonly Channel<TranscriptEvent> _out = Channel.CreateUnbounded<TranscriptEvent>();

    public void Say(TranscriptEvent e) => _out.Writer.TryWrite(e);

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _out.Reader.ReadAllAsync(cancellationToken))
        {
            probe.Taken();
            yield return e;
        }
    }

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
