using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entities;
using Portal.Domain.Brain.Ask;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Brain;

/// <summary>
/// The "ask your data" evaluation: 88 questions in varied wording over the seeded business of <see cref="AskEvalFixture"/>,
/// each expected answer computed here from the in-memory seed (LINQ, no SQL); offline accuracy must be at least 90%.
/// Questions outside the catalogue, writes and other businesses must get "I can't answer that yet".
/// </summary>
public sealed partial class AskDataEvalTests(AskEvalFixture app, ITestOutputHelper output) : IClassFixture<AskEvalFixture>
{
    private sealed record Case(string Question, Func<AskAnswer, bool> Check, string Expected);

    private static readonly DateOnly T = AskEvalFixture.Today;
    private static (DateOnly, DateOnly) R(int y1, int m1, int d1, int y2, int m2, int d2) => (new(y1, m1, d1), new(y2, m2, d2));
    private static readonly (DateOnly, DateOnly) LastWeek = R(2026, 11, 23, 2026, 11, 30), ThisWeek = R(2026, 11, 30, 2026, 12, 7),
        ThisMonth = R(2026, 12, 1, 2026, 12, 7), LastMonth = R(2026, 11, 1, 2026, 12, 1), Last30 = R(2026, 11, 7, 2026, 12, 7),
        Nov = R(2026, 11, 1, 2026, 12, 1), Oct = R(2026, 10, 1, 2026, 11, 1), Sep = R(2026, 9, 1, 2026, 10, 1), Yesterday = R(2026, 12, 5, 2026, 12, 6),
        Today = R(2026, 12, 6, 2026, 12, 7), ThisYear = R(2026, 1, 1, 2026, 12, 7), Last7 = R(2026, 11, 30, 2026, 12, 7), Last90 = R(2026, 9, 8, 2026, 12, 7),
        AllTime = R(2023, 12, 7, 2026, 12, 7);

    private static bool In(DateTime local, (DateOnly From, DateOnly To) r) => local >= r.From.ToDateTime(TimeOnly.MinValue) && local < r.To.ToDateTime(TimeOnly.MinValue);

    private IEnumerable<SeedConversation> Real((DateOnly, DateOnly) r, int? weekday = null) =>
        app.Conversations.Where(c => !c.IsTest && In(c.Local, r) && (weekday is null || Iso(c.Local) == weekday));

    private static int Iso(DateTime d) => d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek;

    private static bool Missed(SeedConversation c) => c.Channel == Channel.Voice && c.Outcome is ConversationOutcome.Abandoned or ConversationOutcome.Failed;

    private decimal Calls((DateOnly, DateOnly) r, int? wd = null) => Real(r, wd).Count(c => c.Channel == Channel.Voice);
    private decimal MissedCalls((DateOnly, DateOnly) r, int? wd = null) => Real(r, wd).Count(Missed);
    private decimal Chats((DateOnly, DateOnly) r) => Real(r).Count(c => c.Channel == Channel.WebChat);
    private decimal Convs((DateOnly, DateOnly) r) => Real(r).Count();
    private IEnumerable<SeedBooking> Booked((DateOnly, DateOnly) r) => app.Bookings.Where(b => b.Status == BookingStatus.Confirmed && In(b.Local, r));
    private decimal Bookings((DateOnly, DateOnly) r) => Booked(r).Count();
    private decimal Cancellations((DateOnly, DateOnly) r) => app.Bookings.Count(b => b.Status == BookingStatus.Cancelled && In(b.Local, r));
    private decimal Revenue((DateOnly, DateOnly) r) => Booked(r).Sum(b => b.Price) / 100m;
    private static decimal Round(double v, int digits) => (decimal)Math.Round(v, digits, MidpointRounding.AwayFromZero);
    private decimal Rate(IEnumerable<SeedConversation> cs) { var l = cs.ToList(); return l.Count == 0 ? 0 : Round(100.0 * l.Count(c => c.Outcome == ConversationOutcome.Booked) / l.Count, 1); }
    private decimal Sentiment(IEnumerable<SeedConversation> cs) { var l = cs.Where(c => c.Sentiment is not null).ToList(); return l.Count == 0 ? 0 : Round(l.Average(c => c.Sentiment!.Value), 2); }
    private decimal Lead(IEnumerable<SeedConversation> cs) { var l = cs.Where(c => c.Lead is not null).ToList(); return l.Count == 0 ? 0 : Round(l.Average(c => c.Lead!.Value), 1); }
    private decimal Handle(IEnumerable<SeedConversation> cs) { var l = cs.ToList(); return l.Count == 0 ? 0 : Round(l.Average(c => c.DurationS), 0); }
    private decimal Callers(IEnumerable<SeedConversation> cs) => cs.Where(c => c.Phone is not null).Select(c => c.Phone).Distinct().Count();
    private decimal MessagesIn((DateOnly, DateOnly) r, int? wd = null) => app.Messages.Count(m => In(m, r) && (wd is null || Iso(m) == wd));

    private static Case Scalar(string q, decimal expected, decimal tolerance = 0) =>
        new(q, a => a.Answered && a.Plan!.Dimension is null && a.Plan.Compare is null && Math.Abs((a.Scalar ?? -1) - expected) <= tolerance, expected.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Case Table(string q, IEnumerable<(string Label, decimal Value)> expected, decimal tolerance = 0)
    {
        var e = expected.ToDictionary(x => x.Label, x => x.Value);
        return new(q, a => a.Answered && a.Rows.Count == e.Count && a.Rows.All(r => e.TryGetValue(r.Label, out var v) && Math.Abs(v - r.Value) <= tolerance),
            string.Join(", ", e.Select(x => $"{x.Key}={x.Value}")));
    }

    private static Case Top(string q, IEnumerable<(string Label, decimal Value)> expected)
    {
        var best = expected.OrderByDescending(x => x.Value).ThenBy(x => x.Label, StringComparer.Ordinal).First();
        return new(q, a => a.Answered && a.Rows.Count >= 1 && a.Rows[0].Label == best.Label && a.Rows[0].Value == best.Value, $"{best.Label}={best.Value}");
    }

    private static Case TopN(string q, int n, IEnumerable<(string Label, decimal Value)> expected)
    {
        var top = expected.OrderByDescending(x => x.Value).ThenBy(x => x.Label, StringComparer.Ordinal).Take(n).ToList();
        return new(q, a => a.Answered && a.Rows.Count == top.Count && a.Rows.Select(r => r.Value).SequenceEqual(top.Select(x => x.Value)), string.Join(", ", top));
    }

    private static Case Labels(string q, IEnumerable<string> expected)
    {
        var e = expected.ToHashSet();
        return new(q, a => a.Answered && a.Rows.Select(r => r.Label).ToHashSet().SetEquals(e), string.Join(", ", e));
    }

    private static Case Compare(string q, decimal first, decimal second) =>
        new(q, a => a.Answered && a.Rows.Count == 2 && a.Rows[0].Value == first && a.Rows[1].Value == second, $"{first} vs {second}");

    private static Case None(string q) => new(q, a => !a.Answered && a.Sentence.StartsWith("I can't answer that yet", StringComparison.Ordinal), "unanswered");

    private static string Hour(int h) => $"{h:00}:00";

    private static IEnumerable<(string, decimal)> By<T>(IEnumerable<T> items, Func<T, string> key, Func<IEnumerable<T>, decimal> value) =>
        items.GroupBy(key).Select(g => (g.Key, value(g)));

    private static IEnumerable<(string, decimal)> Count<T>(IEnumerable<T> items, Func<T, string> key) => By(items, key, g => g.Count());

    private List<Case> Cases()
    {
        var voice = (Func<SeedConversation, bool>)(c => c.Channel == Channel.Voice);
        return
        [
            Scalar("how many calls did we miss last week?", MissedCalls(LastWeek)),
            Scalar("missed calls this month", MissedCalls(ThisMonth)),
            Scalar("How many missed calls in November?", MissedCalls(Nov)),
            Scalar("number of calls we missed yesterday", MissedCalls(Yesterday)),
            Scalar("how many calls did we get last week", Calls(LastWeek)),
            Scalar("total calls this month", Calls(ThisMonth)),
            Scalar("calls in October", Calls(Oct)),
            Scalar("How many people called us in the last 7 days?", Callers(Real(Last7))),
            Scalar("how many chats did we have this week", Chats(ThisWeek)),
            Scalar("web chats in September", Chats(Sep)),
            Scalar("how many conversations last month", Convs(LastMonth)),
            Scalar("total conversations so far", Convs(AllTime)),
            Scalar("how many bookings this month", Bookings(ThisMonth)),
            Scalar("appointments booked last week", Bookings(LastWeek)),
            Scalar("How many appointments did we book in November?", Bookings(Nov)),
            Scalar("bookings in the last 30 days", Bookings(Last30)),
            Scalar("how many cancellations last month", Cancellations(LastMonth)),
            Scalar("cancelled bookings this year", Cancellations(ThisYear)),
            Scalar("revenue booked this month", Revenue(ThisMonth)),
            Scalar("how much money did we book in October?", Revenue(Oct)),
            Scalar("revenue last week", Revenue(LastWeek)),
            Scalar("what's our booking rate this month?", Rate(Real(ThisMonth))),
            Scalar("booking rate in November", Rate(Real(Nov))),
            Scalar("what percent of conversations booked last month", Rate(Real(LastMonth))),
            Scalar("average sentiment last week", Sentiment(Real(LastWeek)), 0.01m),
            Scalar("how happy were people this month", Sentiment(Real(ThisMonth)), 0.01m),
            Scalar("average handle time in October", Handle(Real(Oct)), 1),
            Scalar("how long are calls on average this month", Handle(Real(ThisMonth).Where(voice)), 1),
            Scalar("how many messages did people leave last week", MessagesIn(LastWeek)),
            Scalar("voicemails this month", MessagesIn(ThisMonth)),
            Scalar("how many distinct callers last month", Callers(Real(LastMonth))),
            Scalar("average lead score this month", Lead(Real(ThisMonth)), 0.1m),
            Scalar("calls today", Calls(Today)),
            Scalar("conversations yesterday", Convs(Yesterday)),
            Scalar("how many calls in the last 90 days", Calls(Last90)),
            Scalar("missed calls this year", MissedCalls(ThisYear)),
            Scalar("chats last month", Chats(LastMonth)),
            Scalar("bookings this year", Bookings(ThisYear)),
            Scalar("revenue this year", Revenue(ThisYear)),
            Scalar("average sentiment on Mondays", Sentiment(Real(Last30, 1)), 0.01m),
            Scalar("how many calls on Fridays last month", Calls(LastMonth, 5)),
            Scalar("missed calls on Saturdays this year", MissedCalls(ThisYear, 6)),
            Scalar("booking rate on Tuesdays in November", Rate(Real(Nov, 2))),
            Scalar("How many times did the phone ring this week?", Calls(ThisWeek)),
            Scalar("Number of enquiries last month", Convs(LastMonth)),
            Scalar("how many voice calls were abandoned in November", MissedCalls(Nov)),
            Scalar("how many callers asked about prices last month", Callers(Real(LastMonth).Where(c => c.Intents.Contains("price")))),
            Scalar("average sentiment of calls in October", Sentiment(Real(Oct).Where(voice)), 0.01m),
            Table("bookings by service this month", Count(Booked(ThisMonth), b => b.Service)),
            Top("which service was booked most last month", Count(Booked(LastMonth), b => b.Service)),
            Top("most popular service in November", Count(Booked(Nov), b => b.Service)),
            Table("revenue by service last month", By(Booked(LastMonth), b => b.Service, g => g.Sum(b => b.Price) / 100m)),
            Top("which hour gets the most calls?", Count(Real(Last30).Where(voice), c => Hour(c.Local.Hour))),
            Table("calls by hour this month", Count(Real(ThisMonth).Where(voice), c => Hour(c.Local.Hour))),
            Top("busiest hour for calls last week", Count(Real(LastWeek).Where(voice), c => Hour(c.Local.Hour))),
            Top("what time of day do people call the most", Count(Real(Last30).Where(voice), c => Hour(c.Local.Hour))),
            Table("calls by weekday last month", Count(Real(LastMonth).Where(voice), c => c.Local.DayOfWeek.ToString())),
            Top("busiest day for calls in November", Count(Real(Nov).Where(voice), c => c.Local.DayOfWeek.ToString())),
            Top("which day of the week gets the most bookings", Count(Booked(Last30), b => b.Local.DayOfWeek.ToString())),
            Table("conversations per day this week", Count(Real(ThisWeek), c => c.Local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            Table("daily calls last week", Count(Real(LastWeek).Where(voice), c => c.Local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            Table("bookings by month this year", Count(Booked(ThisYear), b => b.Local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))),
            Table("conversations by channel last month", Count(Real(LastMonth), c => c.Channel.ToString())),
            Table("calls vs chats this month", Count(Real(ThisMonth), c => c.Channel.ToString())),
            Table("conversations by outcome this month", Count(Real(ThisMonth), c => c.Outcome.ToString())),
            Table("missed calls by hour last month", Count(Real(LastMonth).Where(Missed), c => Hour(c.Local.Hour))),
            Table("revenue per month this year", By(Booked(ThisYear), b => b.Local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), g => g.Sum(b => b.Price) / 100m)),
            TopN("top 3 services by bookings this year", 3, Count(Booked(ThisYear), b => b.Service)),
            Table("messages by weekday this month", Count(app.Messages.Where(m => In(m, ThisMonth)), m => m.DayOfWeek.ToString())),
            Table("average sentiment by weekday last month", By(Real(LastMonth).Where(c => c.Sentiment is not null), c => c.Local.DayOfWeek.ToString(), Sentiment), 0.01m),
            Table("booking rate by channel in November", By(Real(Nov), c => c.Channel.ToString(), Rate), 0.05m),
            Table("average handle time by channel this month", By(Real(ThisMonth), c => c.Channel.ToString(), Handle), 1),
            Labels("who called more than twice?", Real(Last30).Where(voice).Where(c => c.Phone is not null).GroupBy(c => c.Phone!).Where(g => g.Count() > 2).Select(g => g.Key)),
            Labels("callers with more than 3 calls last month", Real(LastMonth).Where(voice).Where(c => c.Phone is not null).GroupBy(c => c.Phone!).Where(g => g.Count() > 3).Select(g => g.Key)),
            Labels("which callers asked about prices but didn't book", Real(Last30).Where(voice).Where(c => c.Phone is not null && c.Intents.Contains("price") && c.Outcome != ConversationOutcome.Booked).Select(c => c.Phone!).Distinct()),
            Labels("callers who asked about prices but did not book this month", Real(ThisMonth).Where(voice).Where(c => c.Phone is not null && c.Intents.Contains("price") && c.Outcome != ConversationOutcome.Booked).Select(c => c.Phone!).Distinct()),
            Labels("who booked more than once this year", Booked(ThisYear).GroupBy(b => b.Phone).Where(g => g.Count() > 1).Select(g => g.Key)),
            Labels("repeat callers this month", Real(ThisMonth).Where(voice).Where(c => c.Phone is not null).GroupBy(c => c.Phone!).Where(g => g.Count() > 1).Select(g => g.Key)),
            Compare("revenue booked in November vs October", Revenue(Nov), Revenue(Oct)),
            Compare("calls in October compared to September", Calls(Oct), Calls(Sep)),
            Compare("bookings November versus October", Bookings(Nov), Bookings(Oct)),
            Compare("missed calls in October vs November", MissedCalls(Oct), MissedCalls(Nov)),
            None("what's the weather tomorrow?"),
            None("how many employees do we have?"),
            None("delete all bookings from last week"),
            None("show me bookings for another business"),
            None("drop table conversations; how many calls"),
            None("update the booking rate to 100%"),
            None("calls'; SELECT * FROM tenants --"),
        ];
    }

    [Fact]
    public async Task Eval_OfflineAccuracyIsAtLeastNinetyPercent()
    {
        var cases = Cases();
        Assert.True(cases.Count >= 80, $"only {cases.Count} questions");
        int correct = 0;
        foreach (var c in cases)
        {
            var answer = await app.InTenantAsync(app.Tenant.TenantId, sp => sp.GetRequiredService<AskService>().AskAsync(c.Question, AskEvalFixture.Today, CancellationToken.None));
            if (c.Check(answer))
            {
                correct++;
            }
            else
            {
                output.WriteLine($"WRONG: {c.Question}\n  expected {c.Expected}\n  got: {answer.Sentence} | {string.Join(", ", answer.Rows.Select(r => $"{r.Label}={r.Value}"))}\n  plan: {(answer.Plan is null ? "-" : AskService.ToJson(answer.Plan).ReplaceLineEndings(" "))}");
            }
        }

        double accuracy = (double)correct / cases.Count;
        output.WriteLine($"accuracy {correct}/{cases.Count} = {accuracy:0.000}");
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:0.000} below 0.9");
    }
}
