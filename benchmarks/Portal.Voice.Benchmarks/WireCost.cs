using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Portal.Voice.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Benchmarks;

/// <summary>
/// Single-thread cost of each per-frame wire operation (µs and bytes allocated per frame), to split the load run's CPU
/// between the fake Twilio client and the platform: <c>--wire-cost</c>.
/// </summary>
internal static class WireCost
{
    public static async Task RunAsync()
    {
        const string sid = "MZ00000000000000000000000000000001";
        byte[] payload = Enumerable.Repeat((byte)0xFF, 160).ToArray();
        var wire = new FakeTwilioWire(sid, payload);
        byte[] inbound = new MediaMessage(1234, sid, "inbound", 1234, 24680, payload).ToUtf8Json();
        var sink = new ArrayBufferWriter<byte>(512);
        MediaStreamMessage.WriteOutboundMedia(sink, sid, payload);
        byte[] outbound = sink.WrittenSpan.ToArray();
        long n = 0;

        Console.WriteLine("| per-frame operation | side | µs per frame | bytes allocated per frame |");
        Console.WriteLine("|---|---|---:|---:|");
        Measure("inbound media: MediaMessage.ToUtf8Json (first version's fake Twilio)", "client", () => n += new MediaMessage(1234, sid, "inbound", 1234, 24680, payload).ToUtf8Json().Length);
        Measure("inbound media: pre-encoded template (FakeTwilioWire)", "client", () => n += wire.Media(1234, 1234, 24680).Length);
        Measure("inbound media: MediaStreamMessage.TryParse", "platform", () => n += MediaStreamMessage.TryParse(inbound, out var m, out _) ? ((MediaMessage)m).Payload.Length : 0);
        Measure("outbound media: MediaStreamMessage.WriteOutboundMedia", "platform", () =>
        {
            sink.ResetWrittenCount();
            MediaStreamMessage.WriteOutboundMedia(sink, sid, payload);
            n += sink.WrittenCount;
        });
        Measure("outbound media: TryParseOutbound (first version's fake Twilio)", "client", () => n += MediaStreamMessage.TryParseOutbound(outbound, out _, out _) ? 1 : 0);
        Measure("outbound media: prefix check (FakeTwilioWire)", "client", () => n += FakeTwilioWire.IsOutboundMedia(outbound) ? 1 : 0);
        byte[] tone = new byte[4000];
        await MeasureAsync("FramePacer: 0.5 s reply re-framed (per frame, no waiting)", "platform", 25, async () =>
        {
            await foreach (var frame in new FramePacer(new FrozenTime(), 1000).PaceAsync(Chunks(tone)))
            {
                n += frame.Length;
            }
        });
        GC.KeepAlive(n);
        Console.WriteLine();
        Console.WriteLine("| 200 streams paced for 3 s (10 000 frames/s) | CPU ms per s | lateness p50 ms | lateness p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        await PacingAsync("FramePacer, a Task.Delay per frame per stream (first version)", (n, l, late) => PerStreamAsync(new UnsharedSystemTime(), n, l, late));
        await PacingAsync("FramePacer on the shared FrameClock (TimeProvider.System)", (n, l, late) => PerStreamAsync(TimeProvider.System, n, l, late));
    }

    private static async Task PacingAsync(string name, Func<int, TimeSpan, List<double>[], Task> run)
    {
        const int streams = 200;
        var late = Enumerable.Range(0, streams).Select(_ => new List<double>(200)).ToArray();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await run(streams, TimeSpan.FromSeconds(3), late);
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 3;
        var all = late.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {cpuMs:0} | {all[all.Length / 2]:0.00} | {all[(int)(all.Length * 0.99)]:0.00} |"));
    }

    private static Task PerStreamAsync(TimeProvider time, int streams, TimeSpan length, List<double>[] late) =>
        Task.WhenAll(Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i % 20);
            long start = Stopwatch.GetTimestamp();
            int k = 0;
            await foreach (var frame in new FramePacer(time).PaceAsync(new byte[(int)(length.TotalMilliseconds / 20) * 160]))
            {
                late[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds - (20 * k++));
            }
        })));

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] audio)
    {
        await Task.CompletedTask;
        for (int i = 0; i < audio.Length; i += 800)
        {
            yield return audio.AsMemory(i, 800);
        }
    }

    private static void Measure(string name, string side, Action op) =>
        MeasureAsync(name, side, 1, () =>
        {
            op();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    private static async Task MeasureAsync(string name, string side, int framesPerOp, Func<Task> op)
    {
        const int warm = 20_000, runs = 200_000;
        int ops = runs / framesPerOp;
        for (int i = 0; i < warm / framesPerOp; i++)
        {
            await op();
        }

        long bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < ops; i++)
        {
            await op();
        }

        double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / (ops * framesPerOp);
        double alloc = (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)(ops * framesPerOp);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {side} | {us:0.00} | {alloc:0} |"));
        _ = cpu;
    }

    /// <summary>System time that is not <see cref="TimeProvider.System"/> itself, so <see cref="FramePacer"/> takes its per-frame <c>Task.Delay</c> path.</summary>
    private sealed class UnsharedSystemTime : TimeProvider;

    /// <summary>A clock that never moves, so the pacer releases every frame at once (lead covers them all).</summary>
    private sealed class FrozenTime : TimeProvider
    {
        public override long GetTimestamp() => 0;
    }
}
