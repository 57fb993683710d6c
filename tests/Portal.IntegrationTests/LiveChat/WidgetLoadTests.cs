using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.LiveChat;

/// <summary>
/// One widget visitor speaking SignalR's JSON hub protocol over a raw WebSocket, as widget.js does: handshake, Start, Send,
/// timing the first streamed chunk and the whole reply.
/// </summary>
internal sealed class RawWidgetVisitor(Uri hub, string origin) : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private int _nextId;

    public async Task ConnectAsync(CancellationToken ct)
    {
        _socket.Options.SetRequestHeader("Origin", origin);
        await _socket.ConnectAsync(hub, ct);
        await SendFrameAsync("{\"protocol\":\"json\",\"version\":1}", ct);
        var handshake = await ReadFrameAsync(ct);
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException(error.GetString());
        }

        await InvokeAsync("Start", [null], ct);
    }

    /// <summary>Sends a message; returns (first chunk, whole reply) latencies in ms.</summary>
    public async Task<(double FirstChunkMs, double ReplyMs)> AskAsync(string text, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var id = await SendInvocationAsync("Send", [text], ct);
        double? first = null, reply = null;
        while (true)
        {
            var frame = await ReadFrameAsync(ct);
            var type = frame.GetProperty("type").GetInt32();
            if (type == 1)
            {
                var target = frame.GetProperty("target").GetString();
                if (target == "delta" && first is null)
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                else if (target == "reply")
                {
                    reply = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
            else if (type == 3 && frame.GetProperty("invocationId").GetString() == id)
            {
                if (frame.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException(error.GetString());
                }

                return (first ?? double.NaN, reply ?? double.NaN);
            }
        }
    }

    private async Task InvokeAsync(string target, object?[] arguments, CancellationToken ct)
    {
        var id = await SendInvocationAsync(target, arguments, ct);
        while (true)
        {
            var frame = await ReadFrameAsync(ct);
            if (frame.GetProperty("type").GetInt32() == 3 && frame.GetProperty("invocationId").GetString() == id)
            {
                if (frame.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException(error.GetString());
                }

                return;
            }
        }
    }

    private async Task<string> SendInvocationAsync(string target, object?[] arguments, CancellationToken ct)
    {
        var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        await SendFrameAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }), ct);
        return id;
    }

    private Task SendFrameAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, ct);

    private async Task<JsonElement> ReadFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                var frame = text[..end];
                using var doc = JsonDocument.Parse(frame.Length == 0 ? "{}" : frame);
                var root = doc.RootElement.Clone();
                if (root.TryGetProperty("type", out var t) && t.GetInt32() == 6)
                {
                    continue; // ping
                }

                return root;
            }

            var read = await _socket.ReceiveAsync(buffer, ct);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The hub closed the connection.");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Closing many sockets at once on a loaded machine: an abort is fine at the end of the run.
            }
        }

        _socket.Dispose();
    }
}

/// <summary>
/// Many concurrent widget connections on loopback, through the whole app (edge, hub, conversation service, PostgreSQL):
/// 25 by default; <c>PORTAL_WIDGET_BENCH_CONNECTIONS=1000</c> for the benchmark in docs/benchmarks.md.
/// </summary>
public sealed class WidgetLoadTests(WidgetAppFactory app, ITestOutputHelper output) : IClassFixture<WidgetAppFactory>
{
    [Fact]
    public async Task ManyConcurrentWidgetConnections_AllGetStreamedReplies()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PORTAL_WIDGET_BENCH_CONNECTIONS"), out var n) && n > 0 ? n : 25;
        var (_, key) = await app.CreateWidgetTenantAsync("Load Dental");
        var hub = new UriBuilder(app.ServerAddress) { Scheme = "ws", Path = "/widget/hub", Query = "agent=" + key }.Uri;
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var visitors = Enumerable.Range(0, count).Select(_ => new RawWidgetVisitor(hub, WidgetAppFactory.AllowedOrigin)).ToList();
        try
        {
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var openWatch = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(50))
            {
                await Task.WhenAll(visitors.Select(async v =>
                {
                    await gate.WaitAsync(bounded.Token);
                    try
                    {
                        await v.ConnectAsync(bounded.Token);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            openWatch.Stop();
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);

            // Every visitor asks at once, all connections held open.
            var results = await Task.WhenAll(visitors.Select(v => v.AskAsync("What are your hours?", bounded.Token)));
            Assert.All(results, r => Assert.False(double.IsNaN(r.ReplyMs) || double.IsNaN(r.FirstChunkMs)));
            var first = results.Select(r => r.FirstChunkMs).Order().ToArray();
            var reply = results.Select(r => r.ReplyMs).Order().ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"connections={count} open_s={openWatch.Elapsed.TotalSeconds:F1} managed_bytes_per_connection={(memoryAfter - memoryBefore) / count} "
                + $"first_chunk_p50_ms={Percentile(first, 0.5):F0} first_chunk_p95_ms={Percentile(first, 0.95):F0} "
                + $"reply_p50_ms={Percentile(reply, 0.5):F0} reply_p95_ms={Percentile(reply, 0.95):F0} reply_max_ms={reply[^1]:F0}"));
        }
        finally
        {
            await Task.WhenAll(visitors.Select(v => v.DisposeAsync().AsTask()));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
