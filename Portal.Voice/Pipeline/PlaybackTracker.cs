using System.Text;

namespace Portal.Voice.Pipeline;

/// <summary>What became of one chunk of the agent's reply.</summary>
public enum ChunkPlayback
{
    /// <summary>Sent to Twilio; its mark has not come back yet.</summary>
    Pending = 0,

    /// <summary>Its mark came back: the audio was played to the caller.</summary>
    Heard = 1,

    /// <summary>A <c>clear</c> (barge-in) or stop came first: the caller did not hear it.</summary>
    NotHeard = 2,
}

/// <summary>
/// Barge-in bookkeeping for one agent turn: which chunks of the reply the caller actually heard. The agent's reply is
/// sent to Twilio as audio chunks, each followed by a <c>mark</c> message; Twilio echoes a mark once the audio before
/// it has been played (https://www.twilio.com/docs/voice/media-streams/websocket-messages#mark-message). When the
/// caller interrupts, the server sends <c>clear</c> and everything still buffered is dropped. The conversation history
/// must then hold only what was played, or the agent "remembers" saying things the caller never heard.
/// </summary>
/// <remarks>
/// Rules: an echoed mark counts its chunk and every earlier pending chunk as heard (playback is in order);
/// <see cref="OnClearSent"/> or <see cref="OnStop"/> turns every pending chunk into <see cref="ChunkPlayback.NotHeard"/>,
/// and marks echoed afterwards for those chunks (Twilio also returns the marks of cleared audio) are ignored;
/// unknown, repeated or late marks are ignored. <see cref="IsSpeaking"/> is therefore true only while some chunk is
/// pending, and cannot stay stuck after a clear, stop or reset.
/// Not thread-safe: one instance per call, driven from the call's message loop.
/// </remarks>
public sealed class PlaybackTracker
{
    private readonly List<(string Mark, string Text, ChunkPlayback State)> _chunks = [];
    private int _pending;

    /// <summary>True while at least one sent chunk's mark is outstanding (no clear, stop or reset since).</summary>
    public bool IsSpeaking => _pending > 0;

    /// <summary>Number of chunks recorded in this turn.</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>Records that a chunk of the reply and its mark were sent to Twilio.</summary>
    /// <param name="markName">The <c>mark.name</c> sent after the chunk's audio; unique among pending chunks.</param>
    /// <param name="text">The text the chunk speaks.</param>
    /// <exception cref="ArgumentException"><paramref name="markName"/> is blank or already pending.</exception>
    public void OnChunkSent(string markName, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(markName);
        ArgumentNullException.ThrowIfNull(text);
        if (IndexOfPending(markName) >= 0)
        {
            throw new ArgumentException($"Mark '{markName}' is already pending.", nameof(markName));
        }

        _chunks.Add((markName, text, ChunkPlayback.Pending));
        _pending++;
    }

    /// <summary>
    /// Handles a mark echoed by Twilio: the named chunk and all earlier pending chunks were heard.
    /// </summary>
    /// <param name="markName">The echoed <c>mark.name</c>.</param>
    /// <returns>True when the mark matched a pending chunk; false when it was ignored (unknown, already heard, or cleared).</returns>
    public bool OnMarkEchoed(string? markName)
    {
        int index = markName is null ? -1 : IndexOfPending(markName);
        if (index < 0)
        {
            return false;
        }

        for (int i = 0; i <= index; i++)
        {
            if (_chunks[i].State == ChunkPlayback.Pending)
            {
                _chunks[i] = _chunks[i] with { State = ChunkPlayback.Heard };
                _pending--;
            }
        }

        return true;
    }

    /// <summary>Handles a <c>clear</c> sent to Twilio (barge-in): every pending chunk becomes not heard.</summary>
    public void OnClearSent() => DropPending();

    /// <summary>Handles the stream's <c>stop</c> message or a closed socket: every pending chunk becomes not heard.</summary>
    public void OnStop() => DropPending();

    /// <summary>Starts a new agent turn: forgets all chunks (pending ones included).</summary>
    public void Reset()
    {
        _chunks.Clear();
        _pending = 0;
    }

    /// <summary>The playback state of chunk <paramref name="index"/> (0-based, in sending order).</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="ChunkCount"/>.</param>
    /// <returns>The chunk's state.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ChunkPlayback StateOf(int index) => _chunks[index].State;

    /// <summary>The text of chunk <paramref name="index"/> (0-based, in sending order), trimmed.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="ChunkCount"/>.</param>
    /// <returns>The chunk's text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public string HeardChunkText(int index) => _chunks[index].Text.Trim();

    /// <summary>
    /// The text of the heard chunks in sending order, joined by single spaces (each chunk trimmed, blanks skipped):
    /// what to store as the agent's turn.
    /// </summary>
    /// <returns>The heard text; empty when nothing was heard.</returns>
    public string HeardText()
    {
        var text = new StringBuilder();
        foreach ((_, string chunk, ChunkPlayback state) in _chunks)
        {
            string trimmed = chunk.Trim();
            if (state != ChunkPlayback.Heard || trimmed.Length == 0)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(trimmed);
        }

        return text.ToString();
    }

    private void DropPending()
    {
        for (int i = 0; i < _chunks.Count; i++)
        {
            if (_chunks[i].State == ChunkPlayback.Pending)
            {
                _chunks[i] = _chunks[i] with { State = ChunkPlayback.NotHeard };
            }
        }

        _pending = 0;
    }

    private int IndexOfPending(string markName)
    {
        for (int i = 0; i < _chunks.Count; i++)
        {
            if (_chunks[i].State == ChunkPlayback.Pending && string.Equals(_chunks[i].Mark, markName, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
