using System.Collections.Concurrent;

namespace Portal.Fakes;

/// <summary>What one <c>/v1/listen</c> connection to <see cref="FakeDeepgramServer"/> received and did.</summary>
public sealed class FakeDeepgramSession
{
    private readonly ConcurrentQueue<string> _sentTypes = new();
    private readonly List<byte> _audio = [];
    private readonly Lock _gate = new();

    internal FakeDeepgramSession(IReadOnlyDictionary<string, string> query) => Query = query;

    /// <summary>Query parameters of the handshake (last value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>Number of binary audio frames received.</summary>
    public int AudioFrames { get; internal set; }

    /// <summary>Audio bytes received.</summary>
    public long AudioBytes { get; internal set; }

    /// <summary><c>KeepAlive</c> messages received.</summary>
    public int KeepAlives { get; internal set; }

    /// <summary>True once <c>CloseStream</c> was received.</summary>
    public bool CloseStreamReceived { get; internal set; }

    /// <summary><c>Finalize</c> messages received.</summary>
    public int Finalizes { get; internal set; }

    /// <summary>Utterances the fake's VAD found (and answered with a final result).</summary>
    public int Utterances { get; internal set; }

    /// <summary>How the connection ended: <c>1000</c>, <c>1011 NET-0001</c>...; null while open.</summary>
    public string? Closed { get; internal set; }

    /// <summary>Types of the messages sent to the client, in order ("Results/interim", "Results/final", "UtteranceEnd", "Metadata", "raw").</summary>
    public IReadOnlyList<string> SentTypes => [.. _sentTypes];

    /// <summary>All audio bytes received, concatenated.</summary>
    public byte[] Audio()
    {
        lock (_gate)
        {
            return [.. _audio];
        }
    }

    internal void AddAudio(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _audio.AddRange(bytes);
        }

        AudioFrames++;
        AudioBytes += bytes.Length;
    }

    internal void Sent(string type) => _sentTypes.Enqueue(type);
}
