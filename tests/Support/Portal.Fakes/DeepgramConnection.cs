using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Fakes;

/// <summary>One connection's state: decoder, VAD, endpointer, clock in samples.</summary>
internal sealed class DeepgramConnection(FakeDeepgramServer owner, WebSocket socket, FakeDeepgramSession session)
{
    private readonly AudioFormat _format = new(session.Query["encoding"] == "mulaw" ? AudioEncoding.MuLaw : AudioEncoding.Linear16, int.Parse(session.Query["sample_rate"], CultureInfo.InvariantCulture));
    private readonly VoiceActivityDetector _vad = new();
    private readonly Endpointer _endpointer = new(new EndpointerOptions
    {
        SilenceMs = session.Query.TryGetValue("endpointing", out var e) && int.TryParse(e, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 10,
        MinSpeechMs = 150,
    });

    private readonly List<short> _pending = [];
    private readonly string _requestId = Guid.NewGuid().ToString();
    private long _samples;
    private bool _interimSent;
    private int _utterance;
    private long? _speechStartMs;
    private byte[]? _leftoverByte;

    private int FrameSamples => _format.SampleRateHz / 50;

    private long NowMs => _samples * 1000 / _format.SampleRateHz;

    public async Task RunAsync(CancellationToken aborted)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                // Cancelling a WebSocket receive aborts the socket, so the idle timeout races a delay instead.
                var receive = socket.ReceiveAsync(buffer, aborted);
                if (await Task.WhenAny(receive, Task.Delay(owner.IdleTimeoutMs, aborted)) != receive)
                {
                    session.Closed = "1011 NET-0001";
                    await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "NET-0001", CancellationToken.None);
                    await DrainAsync(receive);
                    return;
                }

                var result = await receive;
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    session.Closed ??= "client";
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, null);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                byte[] payload = message.ToArray();
                message.SetLength(0);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    session.AddAudio(payload);
                    await OnAudioAsync(payload);
                }
                else if (!await OnControlAsync(Encoding.UTF8.GetString(payload)))
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            session.Closed ??= "aborted";
        }
        catch (OperationCanceledException)
        {
            session.Closed ??= "server stopped";
        }
    }

    private async Task OnAudioAsync(byte[] payload)
    {
        byte[] joined = payload;
        if (_format.Encoding == AudioEncoding.Linear16 && _leftoverByte is { } carry)
        {
            joined = [.. carry, .. payload];
            _leftoverByte = null;
        }

        ReadOnlySpan<byte> bytes = joined;

        if (_format.Encoding == AudioEncoding.Linear16 && bytes.Length % 2 == 1)
        {
            _leftoverByte = [bytes[^1]];
            bytes = bytes[..^1];
        }

        _pending.AddRange(PcmStreamConverter.ToPcm16(bytes, _format));
        int frame = FrameSamples;
        int offset = 0;
        short[] all = [.. _pending];
        for (; offset + frame <= all.Length; offset += frame)
        {
            var span = all.AsSpan(offset, frame);
            long at = NowMs;
            _samples += frame;
            var vad = _vad.ProcessFrame(span, at);
            if (vad.IsSpeechStarted && _speechStartMs is null)
            {
                _speechStartMs = vad.TimestampMs;
            }

            EndOfUtterance? end = _endpointer.OnFrame(at, vad);
            if (owner.Instant && vad.IsSpeechEnded && _endpointer.InUtterance)
            {
                end = new EndOfUtterance(_speechStartMs ?? vad.TimestampMs, vad.TimestampMs, EndOfUtteranceReason.Silence);
                _endpointer.Reset();
            }

            if (end is { } done)
            {
                await SendFinalAsync(done.StartMs, done.EndMs, speechFinal: true, fromFinalize: false);
            }
            else if (!owner.Instant && !_interimSent && _endpointer.InUtterance && _speechStartMs is { } s && at - s >= owner.InterimAfterMs)
            {
                await SendInterimAsync(s, at);
            }
        }

        _pending.RemoveRange(0, offset);
    }

    private async Task<bool> OnControlAsync(string text)
    {
        string? type = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            // Deepgram answers undecodable data with DATA-0000.
        }

        switch (type)
        {
            case "KeepAlive":
                session.KeepAlives++;
                return true;
            case "Finalize":
                session.Finalizes++;
                await FlushAsync(fromFinalize: true);
                return true;
            case "CloseStream":
                session.CloseStreamReceived = true;
                await FlushAsync(fromFinalize: false);
                await SendJsonAsync("Metadata", new Dictionary<string, object?>
                {
                    ["type"] = "Metadata",
                    ["transaction_key"] = "deprecated",
                    ["request_id"] = _requestId,
                    ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(session.Audio())),
                    ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    ["duration"] = NowMs / 1000.0,
                    ["channels"] = 1,
                });
                session.Closed = "1000";
                await CloseAsync(WebSocketCloseStatus.NormalClosure, null);
                return false;
            default:
                session.Closed = "1008 DATA-0000";
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "DATA-0000");
                return false;
        }
    }

    private async Task FlushAsync(bool fromFinalize)
    {
        if (_endpointer.InUtterance && _speechStartMs is { } start)
        {
            _endpointer.Reset();
            await SendFinalAsync(start, NowMs, speechFinal: false, fromFinalize);
        }
    }

    private async Task SendInterimAsync(long startMs, long nowMs)
    {
        _interimSent = true;
        string upcoming = owner.Script?.Invoke(session, _utterance) ?? (owner.TryPeekQueued(out var t) ? t : string.Empty);
        string partial = string.Join(' ', upcoming.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));
        await SendJsonAsync("Results/interim", ResultsMessage(partial, startMs, nowMs, isFinal: false, speechFinal: false, fromFinalize: false));
    }

    private async Task SendFinalAsync(long startMs, long endMs, bool speechFinal, bool fromFinalize)
    {
        string transcript = owner.NextTranscript(session, _utterance++);
        session.Utterances++;
        _interimSent = false;
        _speechStartMs = null;
        await SendJsonAsync("Results/final", ResultsMessage(transcript, startMs, endMs, isFinal: true, speechFinal, fromFinalize));
        if (session.Query.TryGetValue("utterance_end_ms", out _) && speechFinal && !owner.Instant)
        {
            await SendJsonAsync("UtteranceEnd", new Dictionary<string, object?>
            {
                ["type"] = "UtteranceEnd",
                ["channel"] = new[] { 0, 1 },
                ["last_word_end"] = endMs / 1000.0,
            });
        }
    }

    private Dictionary<string, object?> ResultsMessage(string transcript, long startMs, long endMs, bool isFinal, bool speechFinal, bool fromFinalize)
    {
        string[] words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double start = startMs / 1000.0;
        double duration = Math.Max(0, endMs - startMs) / 1000.0;
        double step = words.Length == 0 ? 0 : duration / words.Length;
        return new Dictionary<string, object?>
        {
            ["type"] = "Results",
            ["channel_index"] = new[] { 0, 1 },
            ["duration"] = duration,
            ["start"] = start,
            ["is_final"] = isFinal,
            ["speech_final"] = speechFinal,
            ["channel"] = new Dictionary<string, object?>
            {
                ["alternatives"] = new[]
                {
                    new Dictionary<string, object?>
                    {
                        ["transcript"] = transcript,
                        ["confidence"] = words.Length == 0 ? 0 : 0.98,
                        ["words"] = words.Select((w, i) => new Dictionary<string, object?>
                        {
                            ["word"] = w.Trim('.', ',', '?', '!').ToLowerInvariant(),
                            ["start"] = start + (i * step),
                            ["end"] = start + ((i + 1) * step),
                            ["confidence"] = 0.98,
                            ["punctuated_word"] = w,
                        }).ToArray(),
                    },
                },
            },
            ["metadata"] = new Dictionary<string, object?>
            {
                ["request_id"] = _requestId,
                ["model_info"] = new Dictionary<string, string> { ["name"] = "fake", ["version"] = "1", ["arch"] = "fake" },
                ["model_uuid"] = "00000000-0000-0000-0000-000000000000",
            },
            ["from_finalize"] = fromFinalize,
        };
    }

    private async Task SendJsonAsync(string label, Dictionary<string, object?> body)
    {
        while (owner.TryTakeInjected(out var raw))
        {
            session.Sent("raw");
            await socket.SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        session.Sent(label);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(body), WebSocketMessageType.Text, true, CancellationToken.None);
    }

    private static async Task DrainAsync(Task<WebSocketReceiveResult> receive)
    {
        try
        {
            await receive.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The client did not answer the close.
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string? description)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(2000);
            try
            {
                await socket.CloseAsync(status, description, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The client went away first.
            }
        }
    }
}
