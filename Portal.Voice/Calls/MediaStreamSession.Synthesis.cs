using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Calls;

/// <summary>
/// Speech synthesis of <see cref="MediaStreamSession"/>: each sentence of a reply synthesized (streamed from the provider,
/// or a cached prompt) one sentence ahead of playback, paced out as 20 ms frames and followed by its mark.
/// </summary>
public sealed partial class MediaStreamSession
{
    /// <summary>Speaks one sentence as paced 20 ms frames followed by a mark; replies stream from the provider, prompts come from the cache.</summary>
    private Task SpeakSentenceAsync(string sentence, bool inTurn, ReplyTiming timing, CancellationToken ct) =>
        SpeakSentenceAsync(sentence, inTurn, AudioFor(sentence, cacheable: !inTurn, ct), timing, ct);

    /// <summary>
    /// Takes each sentence of a reply as it is produced, starts its synthesis at once (<see cref="Prefetch"/>) and hands it
    /// on; the bounded <paramref name="speakable"/> channel (capacity 1) holds at most the next sentence while one plays.
    /// </summary>
    /// <param name="sentences">Sentences, each flagged when it belongs to the reply's stored turn text.</param>
    /// <param name="speakable">Sentences with their audio started.</param>
    /// <param name="replyFromHandler">True for an engine reply: its own sentences are streamed, never cached (prompts and the greeting are).</param>
    /// <param name="ct">Cancelled with the playback.</param>
    private async Task SynthesizeAheadAsync(ChannelReader<(string Text, bool InTurn)> sentences,
        ChannelWriter<(string Text, bool InTurn, IAsyncEnumerable<ReadOnlyMemory<byte>> Audio)> speakable, bool replyFromHandler, CancellationToken ct)
    {
        try
        {
            await foreach (var (text, inTurn) in sentences.ReadAllAsync(ct))
            {
                // Synthesis starts only once there is room: at most one sentence waits, synthesized, behind the one playing.
                if (!await speakable.WaitToWriteAsync(ct))
                {
                    return;
                }

                speakable.TryWrite((text, inTurn, Prefetch(AudioFor(text, cacheable: !(inTurn && replyFromHandler), ct), ct)));
            }
        }
        finally
        {
            speakable.TryComplete();
        }
    }

    /// <summary>
    /// Starts pulling <paramref name="audio"/> now into a buffer and returns the buffered chunks, so synthesis runs ahead of
    /// playback; a synthesis failure surfaces when the buffer is read. Unread audio is dropped when <paramref name="ct"/> is cancelled.
    /// </summary>
    private static IAsyncEnumerable<ReadOnlyMemory<byte>> Prefetch(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, CancellationToken ct)
    {
        var buffer = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // Started inline (not through Task.Run): it runs until the provider first waits, so audio that is ready at once is
        // already buffered without a trip through the thread pool.
        _ = PumpAsync();
        return buffer.Reader.ReadAllAsync(ct);

        async Task PumpAsync()
        {
            try
            {
                await foreach (var chunk in audio.WithCancellation(ct))
                {
                    buffer.Writer.TryWrite(chunk); // unbounded: never fails while open
                }

                buffer.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                buffer.Writer.TryComplete(ex);
            }
        }
    }

    /// <summary>Speaks one sentence from <paramref name="audio"/> as paced 20 ms frames followed by a mark.</summary>
    private async Task SpeakSentenceAsync(string sentence, bool inTurn, IAsyncEnumerable<ReadOnlyMemory<byte>> audio, ReplyTiming timing, CancellationToken ct)
    {
        var pacer = new FramePacer(_time, _options.LeadFrames);
        await foreach (var frame in pacer.PaceAsync(ObserveFirstByte(audio, timing), ct))
        {
            await _transport.SendAudioAsync(frame, ct);
            int now = StreamMs();
            if (timing.FirstFrame == 0)
            {
                timing.FirstFrame = _time.GetTimestamp();
                timing.FirstFrameStreamMs = now;
            }

            timing.LastFrameStreamMs = now;
        }

        string mark = "s" + Interlocked.Increment(ref _markCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _transport.SendMarkAsync(
            mark,
            sentence,
            () =>
            {
                // Recorded under the send lock, after the cancellation check: a chunk is pending only if its mark really leaves.
                lock (_gate)
                {
                    _tracker.OnChunkSent(mark, sentence);
                    _chunkInTurn.Add(inTurn);
                }
            },
            ct);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> AudioFor(string sentence, bool cacheable, [EnumeratorCancellation] CancellationToken ct)
    {
        var voice = _setup!.VoiceId;
        if (_textToSpeech is null)
        {
            yield return await _speech.GetMuLawAsync(sentence, voice, ct);
            yield break;
        }

        if (cacheable)
        {
            yield return await _speech.GetMuLawAsync(_textToSpeech, sentence, voice, ct);
            yield break;
        }

        // REVIEW: a provider failure mid-reply ends this reply (logged); falling back to espeak-ng per sentence would
        // need the keyless engine injected here too.
        await foreach (var chunk in _textToSpeech.SynthesizeStreamAsync(sentence, voice, AudioFormat.Phone, ct))
        {
            yield return chunk;
        }
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> ObserveFirstByte(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, ReplyTiming timing)
    {
        await foreach (var chunk in audio)
        {
            if (timing.FirstByte == 0 && chunk.Length > 0)
            {
                timing.FirstByte = _time.GetTimestamp();
            }

            yield return chunk;
        }
    }
}
