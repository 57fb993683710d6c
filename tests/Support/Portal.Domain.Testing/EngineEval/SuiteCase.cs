using System.Globalization;
using System.Text.Json;

namespace Portal.Domain.Tests.EngineEval;

/// <summary>One caller turn of a suite case and what must hold after the agent answered it.</summary>
/// <param name="Say">What the caller says.</param>
/// <param name="Intent">The intent the engine must report for the turn (an <c>Intent</c> name), or null when not scored.</param>
/// <param name="Slots">
/// State checks after the turn, by slot (<c>name</c>, <c>phone</c>, <c>date</c> yyyy-MM-dd, <c>time</c> HH:mm, <c>service</c>,
/// <c>provider</c>, <c>flow</c>, <c>pending</c>); a null value means the slot must be empty.
/// </param>
/// <param name="Says">Fragments the agent's reply must contain (ordinal, case-insensitive).</param>
/// <param name="Never">Fragments the agent's reply must not contain.</param>
public sealed record SuiteTurn(string Say, string? Intent, IReadOnlyDictionary<string, string?> Slots, IReadOnlyList<string> Says, IReadOnlyList<string> Never);

/// <summary>The booking a case must end with.</summary>
/// <param name="Service">Service name, or null when not checked.</param>
/// <param name="Start">Local start.</param>
/// <param name="Name">Customer name, or null when not checked.</param>
/// <param name="Phone">Customer phone (E.164), or null when not checked.</param>
/// <param name="Notes">A fragment the booking notes must contain, or null when not checked.</param>
public sealed record ExpectedBooking(string? Service, DateTime Start, string? Name, string? Phone, string? Notes);

/// <summary>
/// One scripted conversation of the engine suite (eval/conversation-suite.jsonl): the business, the local "now", the caller's
/// turns with per-turn checks, and the outcome (the booking, or none, and how many messages were taken).
/// </summary>
/// <param name="Id">Case id.</param>
/// <param name="Class">Failure class the case exercises.</param>
/// <param name="Business">Key of <see cref="EvalBusinesses"/>.</param>
/// <param name="Now">Business-local "now".</param>
/// <param name="CallerPhone">Caller id (voice), or null (chat).</param>
/// <param name="Turns">The caller's turns.</param>
/// <param name="Booking">The booking the conversation must write, or null when it must write none.</param>
/// <param name="Messages">Messages the conversation must take, or null when not checked.</param>
public sealed record SuiteCase(string Id, string Class, string Business, DateTime Now, string? CallerPhone, IReadOnlyList<SuiteTurn> Turns, ExpectedBooking? Booking, int? Messages)
{
    /// <summary>Default "now": Monday, November 23, 2026, 09:15 local.</summary>
    public static readonly DateTime DefaultNow = new(2026, 11, 23, 9, 15, 0);

    /// <summary>Slot keys a turn may check.</summary>
    public static readonly IReadOnlySet<string> SlotKeys = new HashSet<string>(StringComparer.Ordinal) { "name", "phone", "date", "time", "service", "provider", "flow", "pending" };

    private static readonly IReadOnlySet<string> TurnKeys = new HashSet<string>(StringComparer.Ordinal) { "say", "intent", "says", "never" };

    /// <summary>Reads every case of a JSONL file; throws <see cref="FormatException"/> naming the line for a malformed case.</summary>
    public static IReadOnlyList<SuiteCase> Load(string path)
    {
        var cases = new List<SuiteCase>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                cases.Add(Parse(doc.RootElement));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new FormatException($"{Path.GetFileName(path)} line {lineNumber}: {e.Message}", e);
            }
        }

        return cases;
    }

    private static SuiteCase Parse(JsonElement root)
    {
        var business = root.GetProperty("business").GetString()!;
        if (!EvalBusinesses.Keys.Contains(business))
        {
            throw new FormatException($"unknown business '{business}'");
        }

        var turns = root.GetProperty("turns").EnumerateArray().Select(ParseTurn).ToList();
        ExpectedBooking? booking = null;
        var booked = root.GetProperty("booked");
        if (booked.ValueKind == JsonValueKind.Object)
        {
            booking = new ExpectedBooking(
                Text(booked, "service"),
                DateTime.Parse(booked.GetProperty("start").GetString()!, CultureInfo.InvariantCulture),
                Text(booked, "name"),
                Text(booked, "phone"),
                Text(booked, "notes"));
        }

        return new SuiteCase(
            root.GetProperty("id").GetString()!,
            root.GetProperty("class").GetString()!,
            business,
            Text(root, "now") is { } now ? DateTime.Parse(now, CultureInfo.InvariantCulture) : DefaultNow,
            Text(root, "caller"),
            turns,
            booking,
            root.TryGetProperty("messages", out var m) ? m.GetInt32() : null);
    }

    private static SuiteTurn ParseTurn(JsonElement turn)
    {
        var slots = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in turn.EnumerateObject())
        {
            if (SlotKeys.Contains(property.Name))
            {
                slots[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
            }
            else if (!TurnKeys.Contains(property.Name))
            {
                throw new FormatException($"unknown turn key '{property.Name}'");
            }
        }

        return new SuiteTurn(turn.GetProperty("say").GetString()!, Text(turn, "intent"), slots, List(turn, "says"), List(turn, "never"));
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string[] List(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? []
        : v.ValueKind == JsonValueKind.String ? [v.GetString()!]
        : [.. v.EnumerateArray().Select(x => x.GetString()!)];
}
