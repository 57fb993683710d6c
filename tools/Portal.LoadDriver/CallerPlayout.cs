namespace Portal.LoadDriver;

/// <summary>
/// The caller's side of the agent's audio, played the way Twilio plays a bidirectional Media Stream: outbound
/// <c>media</c> is buffered and played in order on a real-time clock (8 μ-law bytes per ms), a <c>mark</c> is echoed
/// when the audio sent before it has played, and a <c>clear</c> drops the buffer and makes every pending mark due at
/// once (https://www.twilio.com/docs/voice/media-streams/websocket-messages#send-a-mark-message). It measures what a
/// caller would hear go wrong:
/// <list type="bullet">
/// <item><b>Underrun</b>: the playout buffer runs dry in the middle of an agent utterance and audio of the same
/// utterance arrives later, so the caller heard silence inside it. Counted in the middle of a sentence (audio resumed
/// before the sentence's <c>mark</c>), or between two sentences of one reply (the next sentence began less than
/// <see cref="QuietMs"/> after the previous one finished playing).</item>
/// <item><b>Frame late</b>: a frame received after its real-time slot, the slot of a frame being the arrival of the
/// utterance's first frame (or the end of the audio still buffered then) plus 20 ms per frame before it.</item>
/// </list>
/// An utterance is a run of agent audio: it begins with the first frame after the caller acted
/// (<see cref="BeginReply"/>), after a <c>clear</c>, or after at least <see cref="QuietMs"/> of playout silence.
/// Not thread-safe: the caller's receive loop and the media clock share it under one lock.
/// </summary>
/// <param name="quietMs">Playout silence (ms) that ends an utterance; also the silence that counts as "the agent finished".</param>
public sealed class CallerPlayout(double quietMs)
{
    private readonly List<(string Name, double DueMs)> _pendingMarks = [];
    private double _bufferEndMs = double.NegativeInfinity;
    private bool _sentenceOpen;
    private int _sentencesInUtterance;
    private double _utteranceAnchorMs;
    private double _utteranceAudioMs;

    /// <summary>Playout silence in ms that ends an utterance.</summary>
    public double QuietMs { get; } = quietMs;

    /// <summary>Outbound <c>media</c> messages received.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Agent audio received, in ms (8 μ-law bytes per ms).</summary>
    public double AudioReceivedMs { get; private set; }

    /// <summary>Frames received after their real-time slot.</summary>
    public long FramesLate { get; private set; }

    /// <summary>Largest lateness of a frame past its slot, in ms (0 when none was late).</summary>
    public double MaxLateMs { get; private set; }

    /// <summary>Underruns in the middle of a sentence (audio resumed after the buffer ran dry, before the sentence's mark).</summary>
    public int MidSentenceUnderruns { get; private set; }

    /// <summary>Underruns between two sentences of one utterance.</summary>
    public int BetweenSentenceUnderruns { get; private set; }

    /// <summary>All underruns: <see cref="MidSentenceUnderruns"/> + <see cref="BetweenSentenceUnderruns"/>.</summary>
    public int Underruns => MidSentenceUnderruns + BetweenSentenceUnderruns;

    /// <summary>Silence heard inside utterances because of underruns, in ms.</summary>
    public double UnderrunMs { get; private set; }

    /// <summary>Sentences (runs of audio closed by a <c>mark</c>) begun.</summary>
    public int Sentences { get; private set; }

    /// <summary><c>clear</c> messages received.</summary>
    public int Clears { get; private set; }

    /// <summary>Arrival of the last agent frame, ms on the driver's clock (−∞ before the first).</summary>
    public double LastMediaMs { get; private set; } = double.NegativeInfinity;

    /// <summary>Arrival of the first agent frame since the last <see cref="BeginReply"/>, or null when none came yet.</summary>
    public double? FirstMediaSinceReplyMs { get; private set; }

    /// <summary>Marks received and not yet echoed.</summary>
    public int PendingMarks => _pendingMarks.Count;

    /// <summary>An outbound <c>media</c> message of <paramref name="bytes"/> μ-law bytes arrived at <paramref name="nowMs"/>.</summary>
    /// <param name="nowMs">Arrival time, ms on the driver's monotonic clock.</param>
    /// <param name="bytes">Decoded payload length in bytes (160 for a 20 ms frame).</param>
    public void OnMedia(double nowMs, int bytes)
    {
        double dry = nowMs - _bufferEndMs; // > 0: the buffer has been empty for that long
        if (!_sentenceOpen)
        {
            bool sameUtterance = _sentencesInUtterance > 0 && dry < QuietMs;
            if (!sameUtterance)
            {
                _sentencesInUtterance = 0;
                _utteranceAnchorMs = Math.Max(nowMs, _bufferEndMs);
                _utteranceAudioMs = 0;
            }
            else if (dry > 0)
            {
                BetweenSentenceUnderruns++;
                UnderrunMs += dry;
            }

            _sentenceOpen = true;
            _sentencesInUtterance++;
            Sentences++;
        }
        else if (dry > 0)
        {
            MidSentenceUnderruns++;
            UnderrunMs += dry;
        }

        double lateMs = nowMs - (_utteranceAnchorMs + _utteranceAudioMs);
        if (lateMs > 0)
        {
            FramesLate++;
            MaxLateMs = Math.Max(MaxLateMs, lateMs);
        }

        double audioMs = bytes / 8.0;
        _bufferEndMs = Math.Max(nowMs, _bufferEndMs) + audioMs;
        _utteranceAudioMs += audioMs;
        AudioReceivedMs += audioMs;
        FramesReceived++;
        LastMediaMs = nowMs;
        FirstMediaSinceReplyMs ??= nowMs;
    }

    /// <summary>A <c>mark</c> arrived: it is echoed once the audio before it has played; it closes the current sentence.</summary>
    /// <param name="nowMs">Arrival time, ms.</param>
    /// <param name="name">The mark's name, echoed back unchanged.</param>
    public void OnMark(double nowMs, string name)
    {
        _pendingMarks.Add((name, Math.Max(nowMs, _bufferEndMs)));
        _sentenceOpen = false;
    }

    /// <summary>A <c>clear</c> arrived (barge-in): the buffered audio is dropped, pending marks are due now, the utterance ends and the answer awaited is the audio sent after it.</summary>
    /// <param name="nowMs">Arrival time, ms.</param>
    public void OnClear(double nowMs)
    {
        Clears++;
        _bufferEndMs = Math.Min(_bufferEndMs, nowMs);
        for (int i = 0; i < _pendingMarks.Count; i++)
        {
            _pendingMarks[i] = (_pendingMarks[i].Name, nowMs);
        }

        _sentenceOpen = false;
        _sentencesInUtterance = 0;
        FirstMediaSinceReplyMs = null; // what came before was dropped: the answer is the audio after the clear
    }

    /// <summary>Moves the marks whose audio has played by <paramref name="nowMs"/> into <paramref name="due"/>, in order.</summary>
    /// <param name="nowMs">Now, ms.</param>
    /// <param name="due">Receives the names of the marks to echo.</param>
    public void TakeDueMarks(double nowMs, List<string> due)
    {
        int n = 0;
        while (n < _pendingMarks.Count && _pendingMarks[n].DueMs <= nowMs)
        {
            due.Add(_pendingMarks[n].Name);
            n++;
        }

        _pendingMarks.RemoveRange(0, n);
    }

    /// <summary>
    /// True when the agent answered since the last <see cref="BeginReply"/> and has finished: nothing left to play, no
    /// mark pending and no frame for <see cref="QuietMs"/>.
    /// </summary>
    /// <param name="nowMs">Now, ms.</param>
    public bool IsQuiet(double nowMs) =>
        FirstMediaSinceReplyMs is not null && _pendingMarks.Count == 0 && _bufferEndMs <= nowMs && nowMs - LastMediaMs >= QuietMs;

    /// <summary>The caller acted (spoke, pressed a key): the next agent audio is a new reply and a new utterance.</summary>
    public void BeginReply()
    {
        FirstMediaSinceReplyMs = null;
        _sentencesInUtterance = 0;
        _sentenceOpen = false;
    }
}
