using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Sentence synthesis: cuts a reply's streamed text into sentences (<see cref="SentenceSplitter"/>) and starts each
/// sentence's audio one sentence ahead of playback (streamed from the provider for engine replies, the cache for prompts
/// and the greeting), so the first audio leaves before the reply is complete and no gap opens between sentences.
/// </summary>
internal sealed class SentenceSynthesisStage(CallContext call, HeardTextStage heard)
{
    /// <summary>
    /// Writes the reply's sentences to <paramref name="writer"/> as the text arrives (its <see cref="AgentReply.Suffix"/>
    /// last, outside the stored turn), and marks an engine turn stored once its text is complete. Not cancelled by a
    /// barge-in (<paramref name="ct"/> is the session's): the turn must be stored whole before it is cut to what was heard.
    /// </summary>
    public async Task ProduceAsync(AgentReply reply, ChannelWriter<SentenceFrame> writer, ReplyTiming timing, CancellationToken ct)
    {
        var splitter = new SentenceSplitter();
        try
        {
            await foreach (var segment in reply.Segments(ct))
            {
                if (timing.FirstToken == 0 && !string.IsNullOrWhiteSpace(segment))
                {
                    timing.FirstToken = call.Time.GetTimestamp();
                }

                foreach (var sentence in splitter.Append(segment))
                {
                    await writer.WriteAsync(new SentenceFrame(sentence, reply.Stored), ct);
                }
            }

            if (reply.FromHandler)
            {
                // The handler's enumeration is complete, so its turn is stored: marks that come back from now on are reported.
                heard.OnStored();
                await heard.ReportAsync(ct);
            }

            if (splitter.Flush() is { } last)
            {
                await writer.WriteAsync(new SentenceFrame(last, reply.Stored), ct);
            }

            if (!string.IsNullOrWhiteSpace(reply.Suffix))
            {
                foreach (var sentence in SentenceSplitter.Split(reply.Suffix))
                {
                    await writer.WriteAsync(new SentenceFrame(sentence, false), ct);
                }
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Takes each sentence as it is produced, starts its synthesis at once and hands it on; the bounded
    /// <paramref name="speakable"/> channel (capacity 1) holds at most the next sentence while one plays.
    /// </summary>
    /// <param name="sentences">Sentences, each flagged when it belongs to the reply's stored turn text.</param>
    /// <param name="speakable">Sentences with their audio started.</param>
    /// <param name="replyFromHandler">True for an engine reply: its own sentences are streamed, never cached.</param>
    /// <param name="ct">Cancelled with the playback.</param>
    public async Task SynthesizeAheadAsync(ChannelReader<SentenceFrame> sentences, ChannelWriter<SpeakableFrame> speakable, bool replyFromHandler, CancellationToken ct)
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

                speakable.TryWrite(new SpeakableFrame(text, inTurn, Prefetch(AudioFor(text, cacheable: !(inTurn && replyFromHandler), ct), ct)));
            }
        }
        finally
        {
            speakable.TryComplete();
        }
    }

    /// <summary>A fixed sentence (a prompt), from the cache.</summary>
    public SpeakableFrame Prompt(string sentence, CancellationToken ct) => new(sentence, false, AudioFor(sentence, cacheable: true, ct));

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

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> AudioFor(string sentence, bool cacheable, [EnumeratorCancellation] CancellationToken ct)
    {
        var voice = call.Setup!.VoiceId;
        if (call.TextToSpeech is null)
        {
            yield return await call.Speech.GetMuLawAsync(sentence, voice, ct);
            yield break;
        }

        if (cacheable)
        {
            yield return await call.Speech.GetMuLawAsync(call.TextToSpeech, sentence, voice, ct);
            yield break;
        }

        // REVIEW: a provider failure mid-reply ends this reply (logged); falling back to espeak-ng per sentence would
        // need the keyless engine injected here too.
        await foreach (var chunk in call.TextToSpeech.SynthesizeStreamAsync(sentence, voice, AudioFormat.Phone, ct))
        {
            yield return chunk;
        }
    }
}
