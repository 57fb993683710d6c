using System.Globalization;
using System.Text;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Scheduling;
using Portal.Domain.Tests.Conversations;

namespace Portal.Domain.Tests.EngineEval;

/// <summary>
/// Plays one <see cref="SuiteCase"/> against the offline engine (in-memory calendar, BM25 knowledge over the business's
/// FAQs, a frozen clock) and scores it. Shared by the xUnit suite and the <c>--engine-eval</c> command of Portal.Benchmarks.
/// </summary>
public static class EngineEvalRunner
{
    /// <summary>Runs <paramref name="suiteCase"/> and returns its score; never throws for a failed check.</summary>
    public static async Task<CaseResult> RunAsync(SuiteCase suiteCase, CancellationToken cancellationToken)
    {
        var (profile, faqs) = EvalBusinesses.Create(suiteCase.Business);
        var call = new EvalCall(profile, faqs, suiteCase.Now, suiteCase.CallerPhone);
        var result = new CaseResult(suiteCase.Id, suiteCase.Class) { ExpectsBooking = suiteCase.Booking is not null };
        for (var t = 0; t < suiteCase.Turns.Count; t++)
        {
            var turn = suiteCase.Turns[t];
            var reply = await call.SayAsync(turn.Say, cancellationToken);
            var at = $"turn {t + 1} \"{turn.Say}\"";
            if (turn.Intent is { } intent)
            {
                result.IntentChecks++;
                if (string.Equals(intent, reply.Intent.ToString(), StringComparison.Ordinal))
                {
                    result.IntentHits++;
                }
                else
                {
                    result.Failures.Add($"{at}: intent {reply.Intent}, expected {intent}");
                }
            }

            foreach (var (slot, expected) in turn.Slots)
            {
                var actual = call.Slot(slot);
                if (slot is "flow" or "pending")
                {
                    if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                    {
                        result.Failures.Add($"{at}: {slot} {actual}, expected {expected}");
                    }
                }
                else
                {
                    result.Slot($"{at}: {slot}", expected, actual);
                }
            }

            foreach (var fragment in turn.Says.Where(f => !reply.Text.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                result.Failures.Add($"{at}: reply lacks \"{fragment}\"");
            }

            foreach (var fragment in turn.Never.Where(f => reply.Text.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                result.Failures.Add($"{at}: reply says \"{fragment}\"");
            }
        }

        ScoreOutcome(result, call, suiteCase.Booking);
        if (suiteCase.Messages is { } messages && call.Store.Messages.Count != messages)
        {
            result.Failures.Add($"messages taken: {call.Store.Messages.Count}, expected {messages}");
        }

        result.Loop = LoopDetector.HasLoop(call.Replies);
        if (result.Loop)
        {
            result.Failures.Add("the agent looped");
        }

        result.Transcript = call.Dump();
        return result;
    }

    /// <summary>Compares the bookings written with <paramref name="expected"/>.</summary>
    internal static void ScoreOutcome(CaseResult result, EvalCall call, ExpectedBooking? expected)
    {
        var written = call.Store.Confirmed;
        if (expected is null)
        {
            result.FalseBookings = written.Count;
            if (written.Count > 0)
            {
                result.Failures.Add($"booked {call.Describe(written[0])}, expected no booking");
            }

            return;
        }

        if (written.Count == 0)
        {
            result.Failures.Add("no booking was made");
            result.SlotChecks += (result.Class == "star" ? 1 : 2) + (expected.Name is null ? 0 : 1) + (expected.Service is null ? 0 : 1) + (expected.Phone is null ? 0 : 1);
            return;
        }

        var booking = written[0];
        var start = call.Profile.ToLocal(booking.StartUtc);
        var before = result.Failures.Count;
        if (result.Class != "star")
        {
            result.Slot("booked date", expected.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        result.Slot("booked time", expected.Start.ToString("HH:mm", CultureInfo.InvariantCulture), start.ToString("HH:mm", CultureInfo.InvariantCulture));
        if (expected.Name is not null)
        {
            result.Slot("booked name", expected.Name, booking.Booking.CustomerName);
        }

        if (expected.Service is not null)
        {
            result.Slot("booked service", expected.Service, call.Profile.FindService(booking.Booking.ServiceId)?.Name);
        }

        if (expected.Phone is not null)
        {
            result.Slot("booked phone", expected.Phone, booking.Booking.CustomerPhone);
        }

        if (expected.Notes is not null && booking.Booking.Notes?.Contains(expected.Notes, StringComparison.OrdinalIgnoreCase) != true)
        {
            result.Failures.Add($"booking notes \"{booking.Booking.Notes}\" lack \"{expected.Notes}\"");
        }

        result.BookedRight = result.Failures.Count == before;
        result.WrongBooking = !result.BookedRight;
        if (written.Count > 1)
        {
            result.FalseBookings = written.Count - 1;
            result.Failures.Add($"{written.Count} bookings written");
        }
    }
}

/// <summary>One conversation with the offline engine: the business, a frozen clock, the calendar, the transcript.</summary>
internal sealed class EvalCall
{
    private readonly OfflineDialogueEngine _engine;
    private readonly DateTime _nowLocal;
    private readonly string? _callerPhone;
    private readonly List<(string Said, DialogueReply Reply)> _transcript = [];

    public EvalCall(BusinessProfile profile, IEnumerable<(string Question, string Answer)> faqs, DateTime nowLocal, string? callerPhone)
    {
        Profile = profile;
        _nowLocal = nowLocal;
        _callerPhone = callerPhone;
        Store = new InMemoryBookingStore(id => profile.FindService(id)?.Name ?? "appointment");
        var clock = new FrozenClock(profile.ToUtc(nowLocal));
        _engine = new OfflineDialogueEngine(Store, new AvailabilityService(Store, clock), new LexicalKnowledgeFake(profile.TenantId, faqs, []));
    }

    public BusinessProfile Profile { get; }

    public InMemoryBookingStore Store { get; }

    public DialogueState State { get; } = new();

    public Guid ConversationId { get; } = Guid.NewGuid();

    public List<string> Replies { get; } = [];

    public async Task<DialogueReply> SayAsync(string utterance, CancellationToken cancellationToken)
    {
        var ctx = new DialogueContext(Profile, ConversationId, Channel.Test, _callerPhone, _nowLocal);
        var reply = await _engine.RespondAsync(ctx, State, utterance, cancellationToken);
        _transcript.Add((utterance, reply));
        Replies.Add(reply.Text);
        return reply;
    }

    /// <summary>The state's value of a suite slot key, formatted as the suite writes it.</summary>
    public string? Slot(string key)
    {
        var start = State.ProposedStart;
        return key switch
        {
            "name" => State.CustomerName,
            "phone" => State.CustomerPhone,
            "date" => (start is { } s ? DateOnly.FromDateTime(s) : State.Date)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => (start is { } s2 ? TimeOnly.FromDateTime(s2) : State.Time)?.ToString("HH:mm", CultureInfo.InvariantCulture),
            "service" => State.ServiceId is { } id ? Profile.FindService(id)?.Name : null,
            "provider" => State.PreferredProvider,
            "flow" => State.Flow.ToString(),
            "pending" => State.Pending.ToString(),
            _ => throw new ArgumentException($"Unknown slot '{key}'.", nameof(key)),
        };
    }

    public string Describe(InMemoryBookingStore.StoredBooking booking) =>
        $"{Profile.FindService(booking.Booking.ServiceId)?.Name} {Profile.ToLocal(booking.StartUtc):yyyy-MM-dd HH:mm} {booking.Booking.CustomerName}";

    public string Dump()
    {
        var sb = new StringBuilder();
        foreach (var (said, reply) in _transcript)
        {
            sb.Append("> ").AppendLine(said).Append("< ").Append(reply.Text).Append(" [").Append(reply.Intent).AppendLine("]");
        }

        return sb.ToString();
    }

    /// <summary>A clock stopped at one instant.</summary>
    private sealed class FrozenClock(DateTimeOffset utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => utcNow;
    }
}
