using System.Diagnostics;
using System.Text;
using Portal.Domain.Conversations.Understanding;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Understanding;

/// <summary>Garbage, hostile and huge inputs must never throw and must stay fast.</summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 15, 0);

    private static readonly ServiceCandidate[] Services =
        [new(Guid.Empty, "Cleaning", ["teeth cleaning"]), new(Guid.Empty, "AC Repair", ["ac"]), new(Guid.Empty, "Haircut", [])];

    public static TheoryData<string> Hostile => new()
    {
        "12/5/99999", "December 5 9999", "the 0th", "99:99", "10:30:15", "$", "$$$ 5", "a.m.", "p.m", "3a.m.", "'s", "n't",
        "o'clock", "''''", "----", "+", "+++1", "double", "triple triple triple", "fifty", "twenty twenty twenty", "in", "next",
        "the", "quarter", "half past", "quarter to", "at", "31/31", "2/30", "Feb 30", "the 31st of February", "ªº¹²³",
        "日本語のテキスト", "I\u2019m Jos\u00e9", "\t\n\r", "name is", "my name is", "it is", "call me", "here", "speaking",
        "in 60 days", "in 61 weeks", "at 23:59", "at 24", "00:00", "12/31/2099", "1/1/1", "5th of", "may", "tonight tonight",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Every_entry_point_survives_hostile_input(string text)
    {
        _ = TextNormalizer.Normalize(text);
        _ = IntentClassifier.Classify(text);
        _ = TemporalParser.Parse(text, Now);
        _ = TemporalParser.Parse(text, Now, expectingTime: true);
        _ = PhoneExtractor.TryExtract(text, "US");
        _ = NameExtractor.TryExtract(text, expectingName: true);
        _ = ServiceMatcher.Rank(text, Services);
    }

    [Fact]
    public async Task Every_entry_point_survives_random_text_without_runaway_matching()
    {
        var random = new Random(12345);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,:/$'-+?!()";
        var words = new[] { "at", "the", "5th", "tomorrow", "pm", "half", "past", "my", "name", "is", "five", "double", "next", "cleaning", "i'm" };
        var inputs = new string[2000];
        for (var n = 0; n < inputs.Length; n++)
        {
            var sb = new StringBuilder();
            var length = random.Next(0, 60);
            for (var i = 0; i < length; i++)
            {
                if (random.Next(4) == 0)
                {
                    sb.Append(' ').Append(words[random.Next(words.Length)]).Append(' ');
                }
                else
                {
                    sb.Append(alphabet[random.Next(alphabet.Length)]);
                }
            }

            inputs[n] = sb.ToString();
        }

        var watch = Stopwatch.StartNew();
        var split = new double[5];
        // A hang guard, not a timing assertion: catastrophic backtracking runs for minutes; a healthy run ends far
        // inside the bound even on a heavily loaded machine. The split is printed for whoever investigates.
        await Task.Run(() => RunAll(inputs, split)).WaitAsync(TimeSpan.FromMinutes(2));
        watch.Stop();
        output.WriteLine($"intent {split[0]:F1} ms, temporal {split[1]:F1} ms, phone {split[2]:F1} ms, name {split[3]:F1} ms, service {split[4]:F1} ms");
        output.WriteLine($"{inputs.Length} inputs x 5 calls in {watch.Elapsed.TotalMilliseconds:F1} ms");
    }

    private static void RunAll(string[] inputs, double[] split)
    {
        foreach (var text in inputs)
        {
            var t0 = Stopwatch.GetTimestamp();
            _ = IntentClassifier.Classify(text);
            var t1 = Stopwatch.GetTimestamp();
            _ = TemporalParser.Parse(text, Now, expectingTime: true);
            var t2 = Stopwatch.GetTimestamp();
            _ = PhoneExtractor.TryExtract(text, "US");
            var t3 = Stopwatch.GetTimestamp();
            _ = NameExtractor.TryExtract(text, expectingName: true);
            var t4 = Stopwatch.GetTimestamp();
            _ = ServiceMatcher.Match(text, Services);
            var t5 = Stopwatch.GetTimestamp();
            split[0] += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            split[1] += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            split[2] += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
            split[3] += Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds;
            split[4] += Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds;
        }
    }

    [Fact]
    public async Task A_very_long_utterance_is_understood_without_runaway_matching()
    {
        // 100 KB of text: a pattern with catastrophic backtracking would run for minutes or hours, so the work is
        // awaited with a very generous bound (a hang guard, not a timing assertion: any healthy run ends far inside
        // it even on a machine under heavy load).
        var text = string.Concat(Enumerable.Repeat("tomorrow at half past ten my name is Jane and 555 ", 2000));

        var mention = await Task.Run(() =>
        {
            var m = TemporalParser.Parse(text, Now);
            _ = IntentClassifier.Classify(text);
            _ = NameExtractor.TryExtract(text, expectingName: false);
            _ = PhoneExtractor.TryExtract(text, "US");
            _ = ServiceMatcher.Rank(text, Services);
            return m;
        }).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(new TimeOnly(10, 30), mention?.Time);
    }
}
