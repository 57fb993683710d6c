using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// One Deepgram live recognition stream (see <see cref="DeepgramSpeechToText"/>). A receive loop turns the server's
/// <c>Results</c> and <c>UtteranceEnd</c> messages into <see cref="TranscriptEvent"/>s; a keep-alive loop sends
/// <c>{"type": "KeepAlive"}</c> when no audio was sent for <see cref="DeepgramOptions.KeepAliveIntervalMs"/>;
/// <see cref="CompleteAsync"/> sends <c>{"type": "CloseStream"}</c> and waits for the server's last results,
/// <c>Metadata</c> and close. Malformed server messages are logged and skipped.
/// </summary>
/// <remarks>
/// Messages: https://developers.deepgram.com/docs/streaming (summary in docs/protocols/deepgram.md).
/// <c>Results</c>: transcript of <c>channel.alternatives[0]</c>, <c>is_final</c>,
/// <c>speech_final</c>, <c>confidence</c>, <c>start</c>/<c>duration</c> (seconds). Empty transcripts are
/// dropped unless <c>speech_final</c> is set. <c>UtteranceEnd</c> (<c>last_word_end</c> ≠ −1) becomes an empty final event with <c>SpeechFinal</c> set,
/// ending at <c>last_word_end</c>. A close other than 1000 (Deepgram <c>DATA-0000</c> 1008, <c>NET-0000</c>/<c>NET-0001</c>
/// 1011) fails <see cref="ReadTranscriptsAsync"/> with <see cref="SpeechProviderException"/>.
/// Sends are serialized (one WebSocket send at a time).
/// </remarks>
public sealed class DeepgramSpeechToTextStream : ISpeechToTextStream
{
    private static readonly byte[] KeepAliveMessage = """{"type": "KeepAlive"}"""u8.ToArray();
    private static readonly byte[] CloseStreamMessage = """{"type": "CloseStream"}"""u8.ToArray();
    private static readonly byte[] FinalizeMessage = """{"type": "Finalize"}"""u8.ToArray();

    private readonly ClientWebSocket _socket;
    private readonly DeepgramOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<TranscriptEvent> _events = Channel.CreateUnbounded<TranscriptEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _receiveLoop;
    private readonly Task _keepAliveLoop;
    private long _lastSendTicks = Environment.TickCount64;
    private int _completed;
    private int _disposed;

    internal DeepgramSpeechToTextStream(ClientWebSocket socket, DeepgramOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_lifetime.Token));
        _keepAliveLoop = Task.Run(() => KeepAliveLoopAsync(_lifetime.Token));
    }

    /// <summary>Deepgram's <c>request_id</c> from the <c>Metadata</c> message (null until it arrives).</summary>
    public string? RequestId { get; private set; }

    /// <summary>Seconds of audio Deepgram says it processed (<c>Metadata.duration</c>), null until it arrives.</summary>
    public double? ProcessedDurationSeconds { get; private set; }

    /// <summary>Number of <c>KeepAlive</c> messages sent.</summary>
    public int KeepAlivesSent { get; private set; }

    /// <summary>Number of server messages skipped because they were not valid JSON or lacked required fields.</summary>
    public int MalformedMessages { get; private set; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The stream was completed or closed.</exception>
    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _completed) != 0 || _socket.State != WebSocketState.Open)
        {
            throw new InvalidOperationException("The Deepgram stream is closed.");
        }

        if (audio.IsEmpty)
        {
            return; // an empty binary frame would be read as CloseStream by older Deepgram APIs.
        }

        await SendAsync(audio, WebSocketMessageType.Binary, cancellationToken);
    }

    /// <summary>Asks Deepgram to finalize the audio sent so far at once (<c>{"type": "Finalize"}</c>); results come with <c>from_finalize</c>.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is sent.</returns>
    public Task FinalizeAsync(CancellationToken cancellationToken) => SendAsync(FinalizeMessage, WebSocketMessageType.Text, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await SendAsync(CloseStreamMessage, WebSocketMessageType.Text, cancellationToken);
            }
            catch (WebSocketException ex)
            {
                _logger.LogDebug("Deepgram CloseStream not sent: {Reason}", ex.Message);
            }
        }

        try
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromMilliseconds(_options.CloseTimeoutMs), cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Deepgram did not close the stream within {Timeout} ms of CloseStream", _options.CloseTimeoutMs);
            _socket.Abort();
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

        await _lifetime.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(500);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Closing is best effort.
            }
        }

        _socket.Abort();
        await Task.WhenAll(_receiveLoop, _keepAliveLoop).ContinueWith(static _ => { }, TaskScheduler.Default);
        _events.Writer.TryComplete();
        _socket.Dispose();
        _lifetime.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, cancellationToken);
            Volatile.Write(ref _lastSendTicks, Environment.TickCount64);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken ct)
    {
        int interval = _options.KeepAliveIntervalMs;
        try
        {
            while (!ct.IsCancellationRequested && _socket.State == WebSocketState.Open && Volatile.Read(ref _completed) == 0)
            {
                long idle = Environment.TickCount64 - Volatile.Read(ref _lastSendTicks);
                if (idle >= interval)
                {
                    await SendAsync(KeepAliveMessage, WebSocketMessageType.Text, ct);
                    KeepAlivesSent++;
                    idle = 0;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(20, interval - idle)), ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The stream is ending.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        Exception? failure = null;
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = result.CloseStatus ?? WebSocketCloseStatus.Empty;
                    if (status != WebSocketCloseStatus.NormalClosure && status != WebSocketCloseStatus.Empty)
                    {
                        failure = new SpeechProviderException(DeepgramSpeechToText.Name, $"closed the stream: {(int)status} {result.CloseStatusDescription}");
                        _logger.LogWarning("Deepgram closed the stream with {Status} {Description}", (int)status, result.CloseStatusDescription);
                    }

                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    if (message.Length > 1 << 20)
                    {
                        throw new SpeechProviderException(DeepgramSpeechToText.Name, "sent a message over 1 MiB.");
                    }

                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Handle(message.GetBuffer().AsSpan(0, (int)message.Length));
                }

                message.SetLength(0);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                failure = new SpeechProviderException(DeepgramSpeechToText.Name, "connection lost: " + ex.Message, ex);
                _logger.LogWarning("Deepgram connection lost: {Reason}", ex.Message);
            }
        }
        catch (SpeechProviderException ex)
        {
            failure = ex;
        }
        finally
        {
            _events.Writer.TryComplete(failure);
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            string? type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "Results":
                    HandleResults(root);
                    break;
                case "UtteranceEnd":
                    double lastWordEnd = root.GetProperty("last_word_end").GetDouble();
                    if (lastWordEnd >= 0)
                    {
                        int endMs = ToMs(lastWordEnd);
                        _events.Writer.TryWrite(new TranscriptEvent(string.Empty, IsFinal: true, SpeechFinal: true, Confidence: 1, endMs, endMs));
                    }

                    break;
                case "Metadata":
                    RequestId = root.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                    ProcessedDurationSeconds = root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
                    _logger.LogDebug("Deepgram request {RequestId}: {Duration} s processed", RequestId, ProcessedDurationSeconds);
                    break;
                case "SpeechStarted":
                    break;
                default:
                    MalformedMessages++;
                    _logger.LogWarning("Deepgram message of unknown type {Type} skipped", type ?? "(none)");
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            MalformedMessages++;
            _logger.LogWarning("Malformed Deepgram message skipped: {Reason}", ex.Message);
        }
    }

    private void HandleResults(JsonElement root)
    {
        var alternative = root.GetProperty("channel").GetProperty("alternatives")[0];
        string text = alternative.GetProperty("transcript").GetString() ?? string.Empty;
        bool isFinal = root.TryGetProperty("is_final", out var f) && f.GetBoolean();
        bool speechFinal = root.TryGetProperty("speech_final", out var s) && s.GetBoolean();
        double confidence = alternative.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0;
        double start = root.TryGetProperty("start", out var st) && st.ValueKind == JsonValueKind.Number ? st.GetDouble() : 0;
        double duration = root.TryGetProperty("duration", out var du) && du.ValueKind == JsonValueKind.Number ? du.GetDouble() : 0;
        if (text.Length == 0 && !speechFinal)
        {
            return; // "Empty transcripts are common. Ignore them." (https://developers.deepgram.com/docs/streaming)
        }

        _events.Writer.TryWrite(new TranscriptEvent(text, isFinal, speechFinal, Math.Clamp(confidence, 0, 1), ToMs(start), ToMs(start + duration)));
    }

    private static int ToMs(double seconds) => (int)Math.Round(seconds * 1000);
}
