using System.Runtime.CompilerServices;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Calls;

/// <summary>
/// A speech-to-text provider that reports every transcript (interim and final) to an observer as the call reads it, so
/// the browser test call can show the caller's words live without the session knowing about it.
/// </summary>
/// <param name="inner">The real provider.</param>
/// <param name="observer">Called for each transcript before the session sees it; its failures are not swallowed.</param>
public sealed class ObservedSpeechToText(ISpeechToText inner, Func<TranscriptEvent, CancellationToken, ValueTask> observer) : ISpeechToText
{
    /// <inheritdoc />
    public string ProviderName => inner.ProviderName;

    /// <inheritdoc />
    public async Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken) =>
        new Stream(await inner.OpenAsync(options, cancellationToken), observer);

    private sealed class Stream(ISpeechToTextStream inner, Func<TranscriptEvent, CancellationToken, ValueTask> observer) : ISpeechToTextStream, ISpeechBacklog
    {
        public bool SpeechPending => inner is ISpeechBacklog { SpeechPending: true };

        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) => inner.SendAudioAsync(audio, cancellationToken);

        public async IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var transcript in inner.ReadTranscriptsAsync(cancellationToken))
            {
                await observer(transcript, cancellationToken);
                yield return transcript;
            }
        }

        public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
