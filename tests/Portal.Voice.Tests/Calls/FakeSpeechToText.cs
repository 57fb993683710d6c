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
