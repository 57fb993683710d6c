namespace Portal.Domain.Tests.EngineEval;

/// <summary>What one scripted conversation scored: intent and slot checks, the booking outcome, loops, and what failed.</summary>
public sealed class CaseResult(string id, string caseClass)
{
    /// <summary>Case id.</summary>
    public string Id { get; } = id;

    /// <summary>Failure class (or "star").</summary>
    public string Class { get; } = caseClass;

    /// <summary>Turns with an expected intent.</summary>
    public int IntentChecks { get; set; }

    /// <summary>Turns whose reported intent was the expected one.</summary>
    public int IntentHits { get; set; }

    /// <summary>Slot values checked (per-turn state and the final booking's fields).</summary>
    public int SlotChecks { get; set; }

    /// <summary>Slot values that were right.</summary>
    public int SlotHits { get; set; }

    /// <summary>True when the case must end with a booking.</summary>
    public bool ExpectsBooking { get; set; }

    /// <summary>True when the expected booking was written with the expected slots.</summary>
    public bool BookedRight { get; set; }

    /// <summary>Bookings written although the case expected none.</summary>
    public int FalseBookings { get; set; }

    /// <summary>True when a booking was expected and one was written, but with other slots.</summary>
    public bool WrongBooking { get; set; }

    /// <summary>True when the agent looped (see <see cref="LoopDetector"/>).</summary>
    public bool Loop { get; set; }

    /// <summary>Every failed check, readable.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>The conversation, one "&gt; caller / &lt; agent" pair per turn.</summary>
    public string Transcript { get; set; } = "";

    /// <summary>True when every check held.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Records one slot check.</summary>
    public void Slot(string what, string? expected, string? actual)
    {
        SlotChecks++;
        if (string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            SlotHits++;
        }
        else
        {
            Failures.Add($"{what}: expected {expected ?? "(none)"}, got {actual ?? "(none)"}");
        }
    }
}

/// <summary>
/// Finds the agent going round in circles: three fallback replies in a row ("I'm sorry, I don't know that", "I didn't
/// catch that", "May I take a message?"), the same reply three times in a row, or a message offered two turns running.
/// </summary>
public static class LoopDetector
{
    private static readonly string[] Fallbacks = ["don't know", "don't have that", "didn't quite catch", "didn't catch", "didn't get that", "take a message"];

    /// <summary>True when <paramref name="replies"/> (in order) contain a loop.</summary>
    public static bool HasLoop(IReadOnlyList<string> replies)
    {
        for (var i = 1; i < replies.Count; i++)
        {
            if (OffersMessage(replies[i]) && OffersMessage(replies[i - 1]))
            {
                return true;
            }

            if (i >= 2 && (IsFallback(replies[i]) && IsFallback(replies[i - 1]) && IsFallback(replies[i - 2])
                || replies[i] == replies[i - 1] && replies[i] == replies[i - 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFallback(string reply) => Fallbacks.Any(f => reply.Contains(f, StringComparison.OrdinalIgnoreCase));

    private static bool OffersMessage(string reply) => reply.Contains("take a message", StringComparison.OrdinalIgnoreCase);
}
