using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Voice.Pipeline;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.SpeechToText;

/// <summary>A recognized utterance from a batch engine.</summary>
/// <param name="Text">Words heard (empty when nothing intelligible).</param>
/// <param name="Confidence">Engine confidence 0..1.</param>
public sealed record RecognizedUtterance(string Text, double Confidence);

/// <summary>
/// Turns a batch recognizer (a whole utterance in, its text out: OpenAI-compatible <c>/v1/audio/transcriptions</c>,
/// pocketsphinx) into a streaming <see cref="ISpeechToTextStream"/>: audio is decoded to PCM16, cut into 20 ms frames,
/// run through the production <see cref="VoiceActivityDetector"/> and <see cref="Endpointer"/> (silence threshold =
/// <see cref="SpeechToTextOptions.EndpointingMs"/>), and each finished utterance (with 300 ms of audio before the
/// speech onset) is recognized on a background worker, which emits exactly one final <see cref="TranscriptEvent"/>
/// (<c>IsFinal</c> and <c>SpeechFinal</c> set) per utterance, in order.
/// </summary>
/// <remarks>
/// <see cref="SendAudioAsync"/> only runs the detector (microseconds per frame), so the caller's audio loop never
/// waits for recognition. Failures of <see cref="RecognizeAsync"/>: a <see cref="SpeechProviderException"/> marked
/// permanent (<see cref="SpeechProviderErrors.Permanent"/>) fails the transcript stream; any other one is logged and
/// the utterance yields an empty final with confidence 0, so the call can ask the caller to repeat.
/// Not thread-safe for concurrent <see cref="SendAudioAsync"/> calls (one audio loop per call).
/// </remarks>
public abstract class UtteranceSpeechToTextStream : ISpeechToTextStream, ISpeechBacklog
{
    /// <summary>Audio kept from before the detected speech onset, in ms (the VAD needs a few frames to trigger).</summary>
    public const int PreRollMs = 300;

    private readonly AudioFormat _format;
    private readonly VoiceActivityDetector _vad;
    private readonly Endpointer _endpointer;
    private readonly ILogger _logger;
    private readonly Channel<(short[] Pcm, long StartMs, long EndMs)> _work = Channel.CreateUnbounded<(short[], long, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<TranscriptEvent> _events = Channel.CreateUnbounded<TranscriptEvent>();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<short> _buffer = [];
    private readonly List<short> _frame = [];
    private Task? _worker;
    private long _bufferStartSample;
    private long _utteranceStartMs;
    private long _samples;
    private byte? _carry;
    private int _completed;
    private int _queued;
    private volatile bool _inUtterance;
    private int _disposed;

    /// <summary>Creates the stream; call <see cref="Start"/> once the derived constructor has run.</summary>
    /// <param name="options">What to listen for.</param>
    /// <param name="logger">Logger.</param>
    protected UtteranceSpeechToTextStream(SpeechToTextOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _format = options.Format;
        _logger = logger;
        _vad = new VoiceActivityDetector();
        _endpointer = new Endpointer(new EndpointerOptions { SilenceMs = Math.Max(100, options.EndpointingMs) });
        Options = options;
    }

    /// <summary>What this stream listens for.</summary>
    protected SpeechToTextOptions Options { get; }

    /// <summary>Utterances handed to the recognizer so far.</summary>
    public int UtterancesDetected { get; private set; }

    /// <inheritdoc />
    public bool SpeechPending => _inUtterance || Volatile.Read(ref _queued) > 0;

    private int FrameSamples => _format.SampleRateHz / 50;

    private long NowMs => _samples * 1000 / _format.SampleRateHz;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The stream was completed.</exception>
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _completed) != 0)
        {
            throw new InvalidOperationException("The recognition stream is completed.");
        }

        ReadOnlySpan<byte> bytes = audio.Span;
        short[] samples;
        if (_format.Encoding == AudioEncoding.Linear16)
        {
            byte[] joined = _carry is { } c ? [c, .. bytes] : bytes.ToArray();
            _carry = joined.Length % 2 == 1 ? joined[^1] : null;
            samples = PcmStreamConverter.ToPcm16(joined, _format);
        }
        else
        {
            samples = PcmStreamConverter.ToPcm16(bytes, _format);
        }

        foreach (short s in samples)
        {
            _frame.Add(s);
            if (_frame.Count == FrameSamples)
            {
                ProcessFrame();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
            // The consumer has taken the transcript (it asks for the next one): only now is this utterance caught up.
            Interlocked.Decrement(ref _queued);
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        if (_endpointer.InUtterance)
        {
            // No more audio: the utterance in progress ends here.
            Cut(new EndOfUtterance(_utteranceStartMs, NowMs, EndOfUtteranceReason.MaxLength), NowMs);
        }

        _work.Writer.TryComplete();
        if (_worker is not null)
        {
            await _worker.WaitAsync(cancellationToken);
        }
        else
        {
            _events.Writer.TryComplete();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _work.Writer.TryComplete();
        await _lifetime.CancelAsync();
        if (_worker is not null)
        {
            await _worker.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        _events.Writer.TryComplete();
        await DisposeCoreAsync();
        _lifetime.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the recognition worker. Call once, at the end of the derived constructor or factory.</summary>
    protected void Start() => _worker ??= Task.Run(() => WorkAsync(_lifetime.Token));

    /// <summary>Recognizes one utterance.</summary>
    /// <param name="pcm">PCM16 samples at <paramref name="sampleRateHz"/>, with pre-roll and trailing silence.</param>
    /// <param name="sampleRateHz">Sample rate of <paramref name="pcm"/> (the stream's format rate).</param>
    /// <param name="cancellationToken">Cancelled when the stream is disposed.</param>
    /// <returns>What was said.</returns>
    protected abstract Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken);

    /// <summary>Releases the derived class's resources (called once from <see cref="DisposeAsync"/>).</summary>
    /// <returns>A task that completes when released.</returns>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private void ProcessFrame()
    {
        long at = NowMs;
        short[] frame = [.. _frame];
        _frame.Clear();
        _buffer.AddRange(frame);
        _samples += frame.Length;
        var vad = _vad.ProcessFrame(frame, at);
        if (vad.IsSpeechStarted && !_endpointer.InUtterance)
        {
            _utteranceStartMs = vad.TimestampMs;
        }

        var ended = _endpointer.OnFrame(at, vad);
        _inUtterance = _endpointer.InUtterance;
        if (ended is { } end)
        {
            Cut(end, NowMs);
        }
        else if (!_endpointer.InUtterance)
        {
            // Between utterances keep only the pre-roll.
            int keep = _format.SampleRateHz * PreRollMs / 1000;
            if (_buffer.Count > keep * 2)
            {
                int drop = _buffer.Count - keep;
                _buffer.RemoveRange(0, drop);
                _bufferStartSample += drop;
            }
        }
    }

    private void Cut(EndOfUtterance end, long nowMs)
    {
        long startSample = Math.Max(_bufferStartSample, ((end.StartMs - PreRollMs) * _format.SampleRateHz / 1000));
        int from = (int)(startSample - _bufferStartSample);
        short[] pcm = [.. _buffer.GetRange(from, _buffer.Count - from)];
        _buffer.Clear();
        _bufferStartSample = _samples;
        UtterancesDetected++;
        Interlocked.Increment(ref _queued);
        _logger.LogDebug("Utterance {StartMs}–{EndMs} ms cut at {NowMs} ms ({Reason})", end.StartMs, end.EndMs, nowMs, end.Reason);
        _work.Writer.TryWrite((pcm, end.StartMs, end.EndMs));
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            await foreach (var (pcm, startMs, endMs) in _work.Reader.ReadAllAsync(ct))
            {
                RecognizedUtterance result;
                try
                {
                    result = await RecognizeAsync(pcm, _format.SampleRateHz, ct);
                }
                catch (SpeechProviderException ex) when (!SpeechProviderErrors.IsPermanent(ex))
                {
                    _logger.LogWarning("Utterance at {StartMs} ms not recognized: {Reason}", startMs, ex.Message);
                    result = new RecognizedUtterance(string.Empty, 0);
                }

                _events.Writer.TryWrite(new TranscriptEvent(result.Text.Trim(), IsFinal: true, SpeechFinal: true, Math.Clamp(result.Confidence, 0, 1), (int)startMs, (int)endMs));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex is SpeechProviderException ? ex : new SpeechProviderException(GetType().Name, "recognition failed: " + ex.Message, ex);
        }
        finally
        {
            _events.Writer.TryComplete(failure);
        }
    }
}

/// <summary>Marks <see cref="SpeechProviderException"/>s that retrying will not fix (key refused, model missing).</summary>
public static class SpeechProviderErrors
{
    /// <summary>Key of the <see cref="Exception.Data"/> flag.</summary>
    public const string PermanentKey = "Portal.Voice.Permanent";

    /// <summary>Creates a permanent failure: it ends an <see cref="UtteranceSpeechToTextStream"/> instead of skipping one utterance.</summary>
    /// <param name="provider">Provider name.</param>
    /// <param name="message">What went wrong (never contains a key).</param>
    /// <param name="inner">Underlying error.</param>
    /// <returns>The exception, with <see cref="PermanentKey"/> set.</returns>
    public static SpeechProviderException Permanent(string provider, string message, Exception? inner = null)
    {
        var ex = new SpeechProviderException(provider, message, inner);
        ex.Data[PermanentKey] = true;
        return ex;
    }

    /// <summary>True when <paramref name="exception"/> was made by <see cref="Permanent"/>.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether retrying is pointless.</returns>
    public static bool IsPermanent(Exception exception) => exception?.Data[PermanentKey] is true;
}
