using System.Globalization;
using System.Text.Json;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.EngineEval;

/// <summary>
/// Replays the real STAR booking dialogues (eval/star-dialogues.jsonl) through the whole engine. The scripted caller only
/// answers what the engine asks, as a caller would: the dialogue's name when asked for a name, a fixed phone number,
/// "yes" to the read-back, the expected day when asked for a day the caller never mentioned. It never gives the time.
/// Only the dialogues whose human assistant made a booking at a stated time are played (see eval/README.md).
/// </summary>
public static class StarEval
{
    private const string FixedPhone = "+12125550177";

    /// <summary>A fixed Monday morning: weekdays in the dialogues resolve to the coming week and every evening slot is still ahead.</summary>
    public static readonly DateTime Now = new(2026, 11, 23, 7, 0, 0);

    /// <summary>One STAR dialogue: the user's turns and the booking the human assistant made.</summary>
    /// <param name="Id">STAR dialogue id.</param>
    /// <param name="Domain">doctor, apartment_viewing or restaurant.</param>
    /// <param name="UserTurns">What the user typed, in order.</param>
    /// <param name="Booked">True when the human assistant made a booking.</param>
    /// <param name="Time">Booked time, HH:mm, or null.</param>
    /// <param name="Name">Customer name, or null.</param>
    /// <param name="Date">Booked day as said (a weekday), or null.</param>
    public sealed record Dialogue(string Id, string Domain, string[] UserTurns, bool Booked, string? Time, string? Name, string? Date);

    /// <summary>Reads the dialogues file.</summary>
    public static IReadOnlyList<Dialogue> Load(string path)
    {
        var result = new List<Dialogue>();
        foreach (var line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var expected = root.GetProperty("expected");
            var slots = expected.GetProperty("slots_canonical");
            string? Slot(string name) => slots.TryGetProperty(name, out var v) ? v.GetString() : null;
            result.Add(new Dialogue(
                root.GetProperty("id").GetString()!,
                root.GetProperty("domain").GetString()!,
                [.. root.GetProperty("user_turns").EnumerateArray().Select(t => t.GetString() ?? "")],
                expected.TryGetProperty("booked", out var b) && b.GetBoolean(),
                Slot("appointment_time"),
                Slot("customer_name"),
                Slot("appointment_date")));
        }

        return result;
    }

    /// <summary>The dialogues the engine is scored on: booked, at a stated time.</summary>
    public static IReadOnlyList<Dialogue> Bookable(IReadOnlyList<Dialogue> all) => [.. all.Where(d => d.Booked && d.Time is not null)];

    /// <summary>Plays one dialogue and scores it (intent: recognised as a booking; slots: the booked time and name).</summary>
    public static async Task<CaseResult> RunAsync(Dialogue d, CancellationToken cancellationToken)
    {
        var profile = GenericProfile();
        var call = new EvalCall(profile, [], Now, callerPhone: null);
        var result = new CaseResult($"star-{d.Id}", "star") { ExpectsBooking = true };
        var sawBooking = false;
        for (var t = 0; t < d.UserTurns.Length && !call.State.Ended; t++)
        {
            await call.SayAsync(d.UserTurns[t], cancellationToken);
            sawBooking |= call.State.Flow == DialogueFlow.Book || call.Store.Confirmed.Count > 0;
            var nameLater = d.UserTurns.Skip(t + 1).Any(u => d.Name is not null && u.Contains(d.Name, StringComparison.OrdinalIgnoreCase));
            if (!call.State.Ended && call.State.Pending == PendingQuestion.Phone || (call.State.Pending == PendingQuestion.Name && !nameLater && d.Name is not null))
            {
                await call.SayAsync(call.State.Pending == PendingQuestion.Phone ? FixedPhone : d.Name!, cancellationToken);
            }
        }

        for (var i = 0; i < 6 && !call.State.Ended && call.Store.Confirmed.Count == 0; i++)
        {
            var answer = call.State.Pending switch
            {
                PendingQuestion.Name => d.Name,
                PendingQuestion.Phone => FixedPhone,
                PendingQuestion.Confirm => "yes",
                PendingQuestion.Date when !MentionsDate(d) => d.Date ?? "today",
                _ => null,
            };
            if (answer is null)
            {
                break;
            }

            await call.SayAsync(answer, cancellationToken);
        }

        result.IntentChecks = 1;
        result.IntentHits = sawBooking || call.Store.Confirmed.Count > 0 ? 1 : 0;
        if (result.IntentHits == 0)
        {
            result.Failures.Add("never recognised as a booking");
        }

        // STAR days are relative to each dialogue's own "now" (its reference time), not to ours: the day is not scored.
        var bookedDay = call.Store.Confirmed.Count > 0 ? DateOnly.FromDateTime(profile.ToLocal(call.Store.Confirmed[0].StartUtc)) : DateOnly.FromDateTime(Now);
        var time = TimeOnly.ParseExact(d.Time!, "HH:mm", CultureInfo.InvariantCulture);
        var expected = new ExpectedBooking(null, bookedDay.ToDateTime(time), d.Name, null, null);
        EngineEvalRunner.ScoreOutcome(result, call, expected);
        result.Loop = LoopDetector.HasLoop(call.Replies);
        if (result.Loop)
        {
            result.Failures.Add("the agent looped");
        }

        result.Transcript = call.Dump();
        return result;
    }

    private static bool MentionsDate(Dialogue d) =>
        d.UserTurns.Any(t => TemporalParser.Parse(t, Now) is { Date: not null });

    /// <summary>Doctor visits, apartment viewings and restaurant tables, open 8:00 to 23:00 every day.</summary>
    public static BusinessProfile GenericProfile()
    {
        ServiceInfo Service(string name, int minutes, params string[] keywords)
        {
            var id = Guid.NewGuid();
            return new ServiceInfo(id, name, minutes, null, null, new ServiceCandidate(id, name, keywords));
        }

        var open = new[] { new OpeningInterval(new TimeOnly(8, 0), new TimeOnly(23, 0)) };
        return new BusinessProfile
        {
            TenantId = Guid.NewGuid(),
            Name = "STAR Services",
            Industry = Industry.Other,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
            Address = "1 Main Street, New York, NY 10001",
            Services =
            [
                Service("Doctor Appointment", 30, "doctor", "see a doctor", "appointment with dr", "checkup", "sick", "headache", "cough", "sore throat", "fever"),
                Service("Apartment Viewing", 30, "apartment", "apartments", "viewing", "view", "see the apartment", "tour", "property", "showing", "north hill", "shadyside", "one on center"),
                Service("Table Reservation", 30, "table", "reservation", "reserve", "restaurant", "dinner", "lunch", "party of", "seats", "lucca", "tamarind", "cactus club", "legume", "the porch"),
            ],
            Hours = [.. Enumerable.Range(0, 7).Select(_ => (IReadOnlyList<OpeningInterval>)open)],
            ClosedDates = new Dictionary<DateOnly, string?>(),
            MinimumNoticeMinutes = 0,
            SlotIntervalMinutes = 30,
            AgentName = "Ava",
        };
    }
}
