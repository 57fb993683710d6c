using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Domain.Conversations.Understanding;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Understanding;

/// <summary>
/// Runs every user turn of the STAR evaluation dialogues (real people booking doctor visits, apartment viewings and
/// restaurant tables) through the understanding layer and checks that the booked time and the caller's name are found.
/// </summary>
public sealed partial class StarDialogueEvalTests(ITestOutputHelper output)
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 15, 0);

    private static readonly string[] HourWords =
        ["twelve", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    private sealed record Dialogue(string Id, string[] UserTurns, string[] SystemTurns, string? Time, string? Name);

    private static List<Dialogue> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "eval", "star-dialogues.jsonl");
        Assert.True(File.Exists(path), $"missing {path}");
        var dialogues = new List<Dialogue>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var slots = root.GetProperty("expected").GetProperty("slots_canonical");
            dialogues.Add(new Dialogue(
                root.GetProperty("id").GetString()!,
                [.. root.GetProperty("user_turns").EnumerateArray().Select(t => t.GetString() ?? string.Empty)],
                [.. root.GetProperty("system_turns").EnumerateArray().Select(t => t.GetString() ?? string.Empty)],
                slots.TryGetProperty("appointment_time", out var time) ? time.GetString() : null,
                slots.TryGetProperty("customer_name", out var name) ? name.GetString() : null));
        }

        return dialogues;
    }

    /// <summary>The agent prompt the user was answering: the system turn before user turn <paramref name="i"/>.</summary>
    private static string PromptBefore(Dialogue d, int i) => i > 0 && i - 1 < d.SystemTurns.Length ? d.SystemTurns[i - 1] : string.Empty;

    [Fact]
    public void Star_user_turns_yield_the_booked_time_and_the_callers_name()
    {
        var dialogues = Load();
        Assert.NotEmpty(dialogues);

        int timeEligible = 0, timeFound = 0, timeSkipped = 0, nameEligible = 0, nameFound = 0, nameSkipped = 0;
        foreach (var d in dialogues)
        {
            var times = new HashSet<string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < d.UserTurns.Length; i++)
            {
                var turn = d.UserTurns[i];
                var prompt = PromptBefore(d, i);
                var result = IntentClassifier.Classify(turn);
                Assert.InRange(result.Confidence, 0.0, 1.0);

                var expectingTime = prompt.Contains("time", StringComparison.OrdinalIgnoreCase)
                    || prompt.Contains("when", StringComparison.OrdinalIgnoreCase);
                var mention = TemporalParser.Parse(turn, Now, expectingTime);
                if (mention?.Time is { } t)
                {
                    times.Add(t.ToString("HH:mm", CultureInfo.InvariantCulture));
                }

                var name = NameExtractor.TryExtract(turn, prompt.Contains("name", StringComparison.OrdinalIgnoreCase));
                if (name is not null)
                {
                    names.Add(name);
                }
            }

            if (d.Time is not null)
            {
                if (TimeIsInUserWords(d.Time, d.UserTurns))
                {
                    timeEligible++;
                    timeFound += times.Contains(d.Time) ? 1 : 0;
                    output.WriteLine($"{d.Id} time {d.Time}: {(times.Contains(d.Time) ? "found" : "MISSED")} [{string.Join(", ", times)}]");
                }
                else
                {
                    timeSkipped++;
                }
            }

            if (d.Name is not null)
            {
                if (NameIsInUserWords(d.Name, d.UserTurns))
                {
                    nameEligible++;
                    nameFound += names.Contains(d.Name) ? 1 : 0;
                    output.WriteLine($"{d.Id} name {d.Name}: {(names.Contains(d.Name) ? "found" : "MISSED")} [{string.Join(", ", names)}]");
                }
                else
                {
                    nameSkipped++;
                }
            }
        }

        output.WriteLine($"time: {timeFound}/{timeEligible} (skipped {timeSkipped}); name: {nameFound}/{nameEligible} (skipped {nameSkipped})");
        Assert.True(timeEligible > 0 && nameEligible > 0);
        Assert.True(timeFound >= 0.9 * timeEligible, $"time recall {timeFound}/{timeEligible}");
        Assert.True(nameFound >= 0.9 * nameEligible, $"name recall {nameFound}/{nameEligible}");
    }

    [Fact]
    public void Star_dialogues_are_recognised_as_booking_requests()
    {
        var dialogues = Load();
        var withBook = 0;
        foreach (var d in dialogues)
        {
            var booked = d.UserTurns.Any(t => IntentClassifier.Classify(t) is { Intent: Intent.Book } or { Secondary: Intent.Book });
            withBook += booked ? 1 : 0;
            if (!booked)
            {
                output.WriteLine($"{d.Id}: no Book intent in [{string.Join(" | ", d.UserTurns)}]");
            }
        }

        output.WriteLine($"book intent: {withBook}/{dialogues.Count}");
        Assert.True(withBook >= 0.9 * dialogues.Count, $"book recall {withBook}/{dialogues.Count}");
    }

    /// <summary>
    /// True when the caller said the booked hour themselves ("10 pm", "ten", "noon"), so the slot is recoverable from user
    /// words alone; false when only the agent proposed it (e.g. "Alright, 5 pm is available" then "yes").
    /// </summary>
    private static bool TimeIsInUserWords(string hhmm, string[] turns)
    {
        var hour = int.Parse(hhmm[..2], CultureInfo.InvariantCulture);
        var hour12 = hour % 12 == 0 ? 12 : hour % 12;
        var pattern = new Regex($@"(?<![\d:])({hour12}|{HourWords[hour12]})(?![\d])|{(hour == 12 ? "noon|midday" : "(?!)")}",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return turns.Any(t => pattern.IsMatch(t));
    }

    private static bool NameIsInUserWords(string name, string[] turns) =>
        turns.Any(t => Regex.IsMatch(t, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
