namespace Portal.Domain.Conversations.Offline;

/// <summary>Remarks and open questions a caller leaves during a booking, written to the booking's notes for the team.</summary>
internal static class StaffNotes
{
    /// <summary>Longest booking notes written (the <c>Booking.Notes</c> column holds 1000 characters).</summary>
    public const int MaxLength = 1000;

    /// <summary>Adds <paramref name="note"/> once ("Question: is there parking?", "Caller: tell her I'll be late").</summary>
    public static void Add(DialogueState state, string note)
    {
        if (!state.StaffNotes.Contains(note, StringComparer.Ordinal))
        {
            state.StaffNotes.Add(note);
        }
    }

    /// <summary>True when an unanswered question is already on the notes (the second one is acknowledged in fewer words).</summary>
    public static bool HasQuestion(DialogueState state) => state.StaffNotes.Any(n => n.StartsWith("Question:", StringComparison.Ordinal));

    /// <summary>The booking's notes: the provider asked for, then remarks and open questions, cut to <see cref="MaxLength"/>; null when none.</summary>
    public static string? ForBooking(DialogueState state)
    {
        var parts = new List<string>(state.StaffNotes.Count + 1);
        if (state.PreferredProvider is { } provider)
        {
            parts.Add($"Asked for {provider}.");
        }

        parts.AddRange(state.StaffNotes);
        if (parts.Count == 0)
        {
            return null;
        }

        var notes = string.Join(" | ", parts);
        return notes.Length <= MaxLength ? notes : notes[..(MaxLength - 1)] + "…";
    }
}
