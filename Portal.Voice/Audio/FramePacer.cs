using System.Runtime.CompilerServices;

namespace Portal.Voice.Audio;

/// <summary>
/// Cuts a μ-law byte stream (8000 Hz, mono, 1 byte per sample) into the 20 ms frames of 160 bytes
/// that Twilio Media Streams send, padding the last partial frame with μ-law silence (0xFF)
/// (https://www.twilio.com/docs/voice/media-streams/websocket-messages; μ-law per ITU-T G.711).
/// Text-to-speech engines deliver audio in arbitrary chunk sizes; the fake Twilio and the outbound
/// pacer both need whole frames. Source of the frame size: docs/protocols/twilio.md and docs/protocols/g711-mulaw.md
/// (8000 Hz × 1 byte = 8 bytes/ms, so 20 ms = 160 bytes).
/// </summary>
/// <remarks>Not thread-safe: one instance per stream.</remarks>
public sealed class MuLawFrameSplitter
{
    /// <summary>Samples per second of Twilio μ-law audio, in Hz.</summary>
    public const int SampleRateHz = 8000;

    /// <summary>Frame duration in milliseconds.</summary>
    public const int FrameMilliseconds = 20;

    /// <summary>Bytes per 20 ms frame at 8000 Hz, 1 byte per sample (160).</summary>
    public const int FrameBytes = SampleRateHz / 1000 * FrameMilliseconds;

    private readonly byte[] _pending = new byte[FrameBytes];
    private int _pendingCount;

    /// <summary>Bytes held back waiting for a full frame (0..159).</summary>
    public int PendingBytes => _pendingCount;

    /// <summary>Number of frames <paramref name="byteCount"/> μ-law bytes make, the last one padded: ⌈byteCount / 160⌉.</summary>
    /// <param name="byteCount">Length of the μ-law data in bytes (≥ 0).</param>
    /// <returns>Frame count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteCount"/> is negative.</exception>
    public static int FrameCount(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return (int)(((long)byteCount + FrameBytes - 1) / FrameBytes);
    }

    /// <summary>Copies frame <paramref name="index"/> of <paramref name="ulaw"/> into <paramref name="frame"/>, padding with 0xFF past the end of the data.</summary>
    /// <param name="ulaw">Whole μ-law buffer.</param>
    /// <param name="index">Frame index, 0 ≤ index &lt; <see cref="FrameCount"/>(ulaw.Length).</param>
    /// <param name="frame">Destination of at least 160 bytes; exactly 160 are written.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is shorter than 160 bytes.</exception>
    public static void CopyFrame(ReadOnlySpan<byte> ulaw, int index, Span<byte> frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount(ulaw.Length));
        if (frame.Length < FrameBytes)
        {
            throw new ArgumentException($"A frame needs {FrameBytes} bytes.", nameof(frame));
        }

        ReadOnlySpan<byte> source = ulaw.Slice(index * FrameBytes, Math.Min(FrameBytes, ulaw.Length - (index * FrameBytes)));
        source.CopyTo(frame);
        frame[source.Length..FrameBytes].Fill(MuLaw.Silence);
    }

    /// <summary>
    /// Appends <paramref name="ulaw"/> and calls <paramref name="onFrame"/> once for every complete
    /// 160-byte frame, in order. The span passed to <paramref name="onFrame"/> is only valid during the call.
    /// </summary>
    /// <param name="ulaw">Next μ-law bytes of the stream (any length).</param>
    /// <param name="state">Caller state passed through to <paramref name="onFrame"/> (avoids a closure).</param>
    /// <param name="onFrame">Receives each 160-byte frame.</param>
    /// <typeparam name="TState">Type of <paramref name="state"/>.</typeparam>
    /// <returns>Number of frames emitted.</returns>
    public int Append<TState>(ReadOnlySpan<byte> ulaw, TState state, FrameAction<TState> onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        int frames = 0;
        if (_pendingCount > 0)
        {
            int take = Math.Min(FrameBytes - _pendingCount, ulaw.Length);
            ulaw[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            ulaw = ulaw[take..];
            if (_pendingCount < FrameBytes)
            {
                return 0;
            }

            onFrame(_pending, state);
            _pendingCount = 0;
            frames++;
        }

        while (ulaw.Length >= FrameBytes)
        {
            onFrame(ulaw[..FrameBytes], state);
            ulaw = ulaw[FrameBytes..];
            frames++;
        }

        ulaw.CopyTo(_pending);
        _pendingCount = ulaw.Length;
        return frames;
    }

    /// <summary>Emits the held-back partial frame padded with 0xFF silence, if any bytes are pending.</summary>
    /// <param name="state">Caller state passed through to <paramref name="onFrame"/>.</param>
    /// <param name="onFrame">Receives the padded 160-byte frame.</param>
    /// <typeparam name="TState">Type of <paramref name="state"/>.</typeparam>
    /// <returns>1 when a frame was emitted, 0 when nothing was pending.</returns>
    public int Flush<TState>(TState state, FrameAction<TState> onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (_pendingCount == 0)
        {
            return 0;
        }

        _pending.AsSpan(_pendingCount).Fill(MuLaw.Silence);
        _pendingCount = 0;
        onFrame(_pending, state);
        return 1;
    }

    /// <summary>Drops any pending partial frame (barge-in: the rest of the utterance is discarded).</summary>
    public void Clear() => _pendingCount = 0;
}

/// <summary>Receives one 160-byte μ-law frame; the span is only valid during the call.</summary>
/// <param name="frame">The frame.</param>
/// <param name="state">Caller state.</param>
/// <typeparam name="TState">Type of the caller state.</typeparam>
public delegate void FrameAction<in TState>(ReadOnlySpan<byte> frame, TState state);

/// <summary>
/// Releases 20 ms μ-law frames in real time, as a phone line consumes them: frame k is released at
/// start + k × 20 ms on a <see cref="TimeProvider"/> clock. Used by the fake Twilio (which must send
/// caller audio every 20 ms, docs/protocols/twilio.md) and to keep outbound audio from racing far ahead of
/// playback, so a barge-in <c>clear</c> has little to drop.
/// </summary>
/// <remarks>
/// The schedule is absolute (start + k × 20 ms), so timer jitter does not accumulate into drift; if
/// the consumer stalls, the overdue frames are released at once until the schedule is caught up. On
/// <see cref="TimeProvider.System"/> every pacer shares <see cref="FrameClock.System"/> (one timer for all calls, frames
/// released on its 5 ms tick); other providers (FakeTimeProvider in tests) wait with <c>Task.Delay</c> on their own clock.
/// </remarks>
public sealed class FramePacer
{
    private readonly TimeProvider _time;
    private readonly FrameClock? _clock;
    private readonly int _leadFrames;

    /// <summary>Creates a pacer.</summary>
    /// <param name="timeProvider">Clock and timers (<see cref="TimeProvider.System"/> in production, FakeTimeProvider in tests).</param>
    /// <param name="leadFrames">Frames released ahead of real time (≥ 0): frame k is due at start + (k − leadFrames) × 20 ms. 0 = strictly real time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="leadFrames"/> is negative.</exception>
    public FramePacer(TimeProvider timeProvider, int leadFrames = 0)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(leadFrames);
        _time = timeProvider;
        _clock = ReferenceEquals(timeProvider, TimeProvider.System) ? FrameClock.System : null;
        _leadFrames = leadFrames;
    }

    /// <summary>Frame period (20 ms).</summary>
    public static TimeSpan FrameInterval { get; } = TimeSpan.FromMilliseconds(MuLawFrameSplitter.FrameMilliseconds);

    /// <summary>
    /// Splits <paramref name="ulaw"/> into 160-byte frames (last padded with 0xFF) and yields them in real time.
    /// Each yielded frame is a new 160-byte array the consumer may keep.
    /// </summary>
    /// <param name="ulaw">Whole μ-law utterance, 8000 Hz.</param>
    /// <param name="cancellationToken">Stops the pacing; the enumerator then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The frames, each released at its due time.</returns>
    public async IAsyncEnumerable<byte[]> PaceAsync(ReadOnlyMemory<byte> ulaw, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long start = _time.GetTimestamp();
        int count = MuLawFrameSplitter.FrameCount(ulaw.Length);
        for (int k = 0; k < count; k++)
        {
            await WaitForFrameAsync(start, k, cancellationToken).ConfigureAwait(false);
            var frame = new byte[MuLawFrameSplitter.FrameBytes];
            MuLawFrameSplitter.CopyFrame(ulaw.Span, k, frame);
            yield return frame;
        }
    }

    /// <summary>
    /// Re-frames a stream of arbitrarily sized μ-law chunks (e.g. text-to-speech output) into 160-byte
    /// frames and yields them in real time; the final partial frame is padded with 0xFF. The clock starts
    /// when the first frame is ready. Each yielded frame is a new 160-byte array.
    /// </summary>
    /// <param name="chunks">μ-law chunks at 8000 Hz, any sizes.</param>
    /// <param name="cancellationToken">Stops the pacing and the source enumeration.</param>
    /// <returns>The frames, each released at its due time (or as soon as the source supplies it, if later).</returns>
    public async IAsyncEnumerable<byte[]> PaceAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var splitter = new MuLawFrameSplitter();
        var ready = new Queue<byte[]>();
        long start = 0;
        int k = 0;
        await foreach (ReadOnlyMemory<byte> chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            splitter.Append(chunk.Span, ready, static (frame, queue) => queue.Enqueue(frame.ToArray()));
            while (ready.TryDequeue(out byte[]? frame))
            {
                if (k == 0)
                {
                    start = _time.GetTimestamp();
                }

                await WaitForFrameAsync(start, k++, cancellationToken).ConfigureAwait(false);
                yield return frame;
            }
        }

        splitter.Flush(ready, static (frame, queue) => queue.Enqueue(frame.ToArray()));
        while (ready.TryDequeue(out byte[]? frame))
        {
            if (k == 0)
            {
                start = _time.GetTimestamp();
            }

            await WaitForFrameAsync(start, k++, cancellationToken).ConfigureAwait(false);
            yield return frame;
        }
    }

    private async ValueTask WaitForFrameAsync(long start, int frameIndex, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeSpan due = FrameInterval * Math.Max(0, frameIndex - _leadFrames);
        if (_clock is not null)
        {
            // System time: the process-wide clock releases every stream's due frames on one shared tick.
            await _clock.WaitUntilAsync(start + (long)(due.TotalSeconds * _time.TimestampFrequency), cancellationToken).ConfigureAwait(false);
            return;
        }

        TimeSpan wait = due - _time.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
