using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Voice.Benchmarks;

internal sealed record LoadResult(List<double> Turns, List<double> Greetings, List<double> Jitter, long MemoryPerCallBytes, List<double[]> Stages, string Process);

/// <summary>N concurrent calls, each a real <see cref="MediaStreamSession"/> on a loopback WebSocket with a fake Twilio client.</summary>
internal static class CallLoad
{
    /// <summary>What the agent answers every turn.</summary>
    internal const string Reply = "Sure, I can help with that. What day works best for you?";

    /// <summary>Runs <paramref name="calls"/> concurrent calls of <paramref name="turns"/> caller turns each.</summary>
    /// <param name="calls">Concurrent calls.</param>
    /// <param name="turns">Caller turns per call.</param>
    /// <param name="realtime">
    /// True: the fake Twilio streams each call's caller audio in real time (one 20 ms frame per call every 20 ms, driven
    /// by one shared timer for all calls), during the agent's speech too, as Twilio does, and each call's turns start at
    /// its own phase (spread over 1.2 s), so turns of different calls do not all land on the same millisecond. False: the
    /// first version's shape, kept for comparison: 60 silence frames sent in a burst before each turn and all calls'
    /// turns in lock step.
    /// </param>
    public static async Task<LoadResult> RunAsync(int calls, int turns, bool realtime = true)
    {
        var speech = new PhoneSpeechCache(new NoWavTextToSpeech());
        var options = new MediaStreamSessionOptions { LeadFrames = 0, SilenceTimeout = TimeSpan.FromMinutes(10) };
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var started = new List<BenchCall>();
        for (int i = 0; i < calls; i++)
        {
            started.Add(await BenchCall.OpenAsync(i, speech, options));
        }

        await Task.WhenAll(started.Select(c => c.GreetAsync()));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long during = GC.GetTotalMemory(forceFullCollection: true);
        var sampler = new ProcessSampler();
        using var streaming = new CancellationTokenSource();
        Task inbound = realtime ? Task.Run(() => StreamCallerAudioAsync(started, streaming.Token)) : Task.CompletedTask;
        await Task.WhenAll(started.Select((c, i) => c.TalkAsync(turns, realtime ? TimeSpan.FromMilliseconds(1200.0 * i / calls) : null)));
        string process = sampler.Report(calls * turns);
        await streaming.CancelAsync();
        await inbound;
        var result = new LoadResult(
            [.. started.SelectMany(c => c.TurnMs)],
            [.. started.Select(c => c.GreetingMs)],
            [.. started.SelectMany(c => c.JitterMs)],
            (during - before) / calls,
            [.. started.SelectMany(c => c.Probe.Stages)],
            process);
        foreach (var c in started)
        {
            await c.DisposeAsync();
        }

        return result;
    }

    /// <summary>The fake Twilio's caller audio: every call gets the 20 ms frames due since the start, on one shared timer.</summary>
    private static async Task StreamCallerAudioAsync(List<BenchCall> calls, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        long start = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                long due = (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds / 20);
                for (; sent < due; sent++)
                {
                    foreach (var call in calls)
                    {
                        await call.SendCallerFrameAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
