using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

/// <summary>
/// A caller's speech as segments [start, end) in ms, turned into the VAD events a perfect detector would emit on
/// 20 ms frames: SpeechStarted on the frame at the segment start, SpeechEnded on the frame at its end.
/// </summary>
internal static class Timeline
{
    public static VadEvent EventAt(long frameMs, IReadOnlyList<(long Start, long End)> segments)
    {
        foreach ((long start, long end) in segments)
        {
            if (start % 20 != 0 || end % 20 != 0)
            {
                throw new ArgumentException($"Segment ({start}, {end}) is not on the 20 ms frame grid.", nameof(segments));
            }

            if (frameMs == start)
            {
                return new VadEvent(VadEventKind.SpeechStarted, start);
            }

            if (frameMs == end)
            {
                return new VadEvent(VadEventKind.SpeechEnded, end);
            }
        }

        return VadEvent.None;
    }

    /// <summary>Runs the endpointer over [0, totalMs), calling <paramref name="atFrame"/> before each frame (for hints).</summary>
    public static List<(long AtMs, EndOfUtterance End)> Run(
        Endpointer endpointer, long totalMs, IReadOnlyList<(long Start, long End)> segments, Func<long, EndOfUtterance?>? atFrame = null)
    {
        var ends = new List<(long, EndOfUtterance)>();
        for (long t = 0; t < totalMs; t += 20)
        {
            if (endpointer.OnFrame(t, EventAt(t, segments)) is { } end)
            {
                ends.Add((t, end));
            }

            if (atFrame?.Invoke(t) is { } hinted)
            {
                ends.Add((t, hinted));
            }
        }

        return ends;
    }
}
