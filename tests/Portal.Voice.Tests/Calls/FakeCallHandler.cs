using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>A fake application side: replies come from <see cref="Reply"/>; records everything the session stores.</summary>
internal sealed class FakeCallHandler : IMediaCallHandler
{
    public bool Accept { get; init; } = true;

    public bool CanTransfer { get; init; }

    public bool RecordingEnabled { get; init; }

    public bool ConsentRequired { get; init; }

    /// <summary>The greeting <see cref="StartAsync"/> returns.</summary>
    public string Greeting { get; init; } = "Thanks for calling Test Dental.";

    /// <summary>When set, <see cref="StartAsync"/> throws it (a database failure at stream start).</summary>
    public Exception? StartFailure { get; init; }

    /// <summary>Progress reports of the last agent turn: what was heard so far, and whether it was all of it.</summary>
    public ConcurrentQueue<(string Heard, bool Complete)> Played { get; } = new();

    /// <summary>Starts whose setup failed (<see cref="StartFailedAsync"/>).</summary>
    public ConcurrentQueue<string> StartFailures { get; } = new();

    /// <summary>Hand-overs stored: the caller's request and the prompt heard.</summary>
    public ConcurrentQueue<(string Request, string Prompt)> TransfersStored { get; } = new();

    /// <summary>Utterance → (reply, state after the turn).</summary>
    public Func<string, (string Reply, MediaTurnState State)> Reply { get; init; } = u => (u == CallPrompts.HoursQuestion ? "We are open nine to five." : "We are at 1 Test Plaza.", MediaTurnState.Idle);

    /// <summary>When set, the reply stops after its first sentence until this completes (a slow language model).</summary>
    public Task? HoldAfterFirstSentence { get; init; }

    public ConcurrentQueue<string> Utterances { get; } = new();

    public ConcurrentQueue<string> Heard { get; } = new();

    public ConcurrentQueue<VoiceTurnMetrics> Metrics { get; } = new();

    public ConcurrentQueue<bool> Consents { get; } = new();

    public ConcurrentQueue<(byte[] Wav, int DurationMs)> Recordings { get; } = new();

    public int Ends;

    public int Transfers;

    public MediaTurnState LastTurn { get; private set; } = MediaTurnState.Idle;

    public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) =>
        StartFailure is { } failure
            ? Task.FromException<MediaCallSetup?>(failure)
            : Task.FromResult(Accept && start.CustomParameters.GetValueOrDefault("token") == "good"
                ? new MediaCallSetup(Greeting, "en-us") { RecordingEnabled = RecordingEnabled, ConsentRequired = ConsentRequired }
                : null);

    public Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken)
    {
        StartFailures.Enqueue(reason);
        return Task.CompletedTask;
    }

    public Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken)
    {
        Played.Enqueue((heardSoFar, complete));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ProcessTurnAsync(string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        Utterances.Enqueue(utterance);
        var (reply, state) = Reply(utterance);
        LastTurn = state;
        // Streamed in small fragments, as a language model would.
        int firstSentenceEnd = reply.IndexOf(". ", StringComparison.Ordinal) + 2;
        for (int i = 0; i < reply.Length; i += 7)
        {
            if (HoldAfterFirstSentence is { } hold && i >= firstSentenceEnd && i - 7 < firstSentenceEnd)
            {
                await hold.WaitAsync(cancellationToken);
            }

            yield return reply.Substring(i, Math.Min(7, reply.Length - i));
        }
    }

    public Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken)
    {
        Heard.Enqueue(heardText);
        return Task.CompletedTask;
    }

    public Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken)
    {
        Metrics.Enqueue(metrics);
        return Task.CompletedTask;
    }

    public Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken)
    {
        Consents.Enqueue(consent);
        return Task.CompletedTask;
    }

    public Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken)
    {
        Recordings.Enqueue((wav.ToArray(), durationMs));
        return Task.CompletedTask;
    }

    public Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Transfers);
        if (CanTransfer)
        {
            TransfersStored.Enqueue((request, heardPrompt));
        }

        return Task.FromResult(CanTransfer);
    }

    public Task EndAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Ends);
        return Task.CompletedTask;
    }
}
