using System.Globalization;
using Portal.Voice.Audio;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Transport out: a sentence's audio paced as real-time 20 ms μ-law frames (<see cref="FramePacer"/>, a few frames of
/// lead) followed by its mark, and <c>clear</c> on a barge-in
/// (https://www.twilio.com/docs/voice/media-streams/websocket-messages#send-a-mark-message). A chunk is recorded as
/// pending only when its mark really leaves, under the transport's send lock.
/// </summary>
internal sealed class PacedOutputStage(CallContext call, HeardTextStage heard, ListeningStage listening)
{
    private int _markCounter;

    /// <summary>Speaks one sentence as paced frames followed by its mark; fills the reply's first/last frame figures.</summary>
    public async Task SpeakAsync(SpeakableFrame sentence, ReplyTiming timing, CancellationToken ct)
    {
        var pacer = new FramePacer(call.Time, call.Options.LeadFrames);
        await foreach (var frame in pacer.PaceAsync(ObserveFirstByte(sentence.Audio, timing), ct))
        {
            await call.Transport.SendAudioAsync(frame, ct);
            int now = call.StreamMs();
            if (timing.FirstFrame == 0)
            {
                timing.FirstFrame = call.Time.GetTimestamp();
                timing.FirstFrameStreamMs = now;
            }

            timing.LastFrameStreamMs = now;
        }

        string mark = "s" + Interlocked.Increment(ref _markCounter).ToString(CultureInfo.InvariantCulture);
        await call.Transport.SendMarkAsync(
            mark,
            sentence.Text,
            () =>
            {
                lock (call.Gate)
                {
                    heard.OnChunkSent(mark, sentence.Text, sentence.InTurn);
                }
            },
            ct);
    }

    /// <summary>Sends <c>clear</c>: the caller's buffered agent audio is dropped, and its marks with it.</summary>
    public async Task SendClearAsync(CancellationToken ct)
    {
        await call.Transport.SendClearAsync(
            () =>
            {
                lock (call.Gate)
                {
                    call.Tracker.OnClearSent();
                    listening.ResetBargeIn();
                }
            },
            ct);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> ObserveFirstByte(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, ReplyTiming timing)
    {
        await foreach (var chunk in audio)
        {
            if (timing.FirstByte == 0 && chunk.Length > 0)
            {
                timing.FirstByte = call.Time.GetTimestamp();
            }

            yield return chunk;
        }
    }
}
