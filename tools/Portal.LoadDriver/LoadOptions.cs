using System.Globalization;

namespace Portal.LoadDriver;

/// <summary>One thing the caller does after the agent finished speaking.</summary>
/// <param name="Text">What is said (for <see cref="IsKeyPress"/> false), or the key pressed.</param>
/// <param name="IsKeyPress">True for a key press sent as a Media Streams <c>dtmf</c> event; false for speech.</param>
public sealed record ScriptStep(string Text, bool IsKeyPress)
{
    /// <summary>Label in reports: <c>dtmf:1</c> or <c>say:…</c>.</summary>
    public string Label => IsKeyPress ? "dtmf:" + Text : "say:" + Text;

    /// <summary>
    /// Parses a script: steps separated by <c>|</c>, each <c>say:TEXT</c> (or plain text) for speech or <c>dtmf:K</c> for one
    /// key (<c>0-9</c>, <c>*</c>, <c>#</c>, <c>A-D</c>; one key per step, as Twilio sends one <c>dtmf</c> event per key).
    /// </summary>
    /// <param name="script">The script text.</param>
    /// <returns>The steps, in order (possibly none).</returns>
    /// <exception cref="FormatException">A <c>dtmf:</c> step is not exactly one valid key, or a <c>say:</c> step is empty.</exception>
    public static IReadOnlyList<ScriptStep> Parse(string script)
    {
        var steps = new List<ScriptStep>();
        foreach (var raw in (script ?? string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith("dtmf:", StringComparison.OrdinalIgnoreCase))
            {
                string key = raw[5..].Trim();
                if (key.Length != 1 || !"0123456789*#ABCD".Contains(key[0], StringComparison.Ordinal))
                {
                    throw new FormatException($"'{raw}': a dtmf step is one key of 0-9, *, #, A-D.");
                }

                steps.Add(new ScriptStep(key, true));
            }
            else
            {
                string text = raw.StartsWith("say:", StringComparison.OrdinalIgnoreCase) ? raw[4..].Trim() : raw;
                if (text.Length == 0)
                {
                    throw new FormatException($"'{raw}': nothing to say.");
                }

                steps.Add(new ScriptStep(text, false));
            }
        }

        return steps;
    }
}

/// <summary>How a load run places its calls. Every run is bounded: at most <see cref="MaxCalls"/> calls and <see cref="MaxRunSeconds"/>.</summary>
public sealed record LoadOptions
{
    /// <summary>Largest call count a run accepts.</summary>
    public const int MaxCalls = 2000;

    /// <summary>Origin of the Portal under test, e.g. <c>http://127.0.0.1:5077</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The called number (a business's number in the pool), E.164.</summary>
    public required string To { get; init; }

    /// <summary>Auth token that signs the webhooks and the stream upgrade (the sandbox token in keyless mode). Secret: never printed.</summary>
    public required string AuthToken { get; init; }

    /// <summary>Calls to place, 1..<see cref="MaxCalls"/>.</summary>
    public int Calls { get; init; } = 10;

    /// <summary>Calls start evenly over this many seconds (call i at <c>i × ramp / calls</c>); 0 starts them all at once.</summary>
    public double RampSeconds { get; init; } = 10;

    /// <summary>The default script: a spoken question, then key 1 (the keypad's opening-hours answer).</summary>
    public static IReadOnlyList<ScriptStep> DefaultScript { get; } = [new("What are your opening hours?", false), new("1", true)];

    /// <summary>What each caller does after the greeting.</summary>
    public IReadOnlyList<ScriptStep> Script { get; init; } = DefaultScript;

    /// <summary>espeak-ng voice of the callers' speech.</summary>
    public string CallerVoice { get; init; } = "en-us";

    /// <summary>Playout silence (ms) after which the agent counts as finished, and that separates two utterances.</summary>
    public int QuietMs { get; init; } = 800;

    /// <summary>Pause (ms) between the agent finishing and the caller's next step.</summary>
    public int PauseMs { get; init; } = 400;

    /// <summary>Longest wait (ms) for the first agent frame after <c>start</c> or a caller step before the call counts as failed.</summary>
    public int AnswerTimeoutMs { get; init; } = 15_000;

    /// <summary>Longest the caller listens to one reply (ms) before going on anyway.</summary>
    public int MaxReplyMs { get; init; } = 40_000;

    /// <summary>Voice webhook timeout in ms (Twilio waits 15 s for a webhook's answer).</summary>
    public int WebhookTimeoutMs { get; init; } = 15_000;

    /// <summary>Whole-run bound in seconds: calls still running then are ended and counted as failed.</summary>
    public int MaxRunSeconds { get; init; } = 300;

    /// <summary>Threads of the shared 20 ms media clock; calls are spread over them.</summary>
    public int ClockThreads { get; init; } = 2;

    /// <summary>POST the signed <c>completed</c> status callback after each call, as Twilio does for a number with a status callback URL.</summary>
    public bool StatusCallback { get; init; } = true;

    /// <summary>Account SID sent on webhooks and <c>start</c> (AC + 32 hex).</summary>
    public string AccountSid { get; init; } = "AC" + new string('0', 31) + "1";

    /// <summary>
    /// The caller number of call <paramref name="index"/>: New York numbers (+1 646 555 xxxx), distinct per call, so no
    /// two-party-consent prompt changes the flow (https://www.twilio.com/docs/glossary/what-e164 for the format).
    /// </summary>
    /// <param name="index">Call index from 0.</param>
    /// <returns>E.164 number.</returns>
    public static string CallerNumber(int index) => "+1646555" + (index % 10_000).ToString("D4", CultureInfo.InvariantCulture);
}
