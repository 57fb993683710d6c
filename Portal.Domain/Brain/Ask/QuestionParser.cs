using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Domain.Brain.Ask;

/// <summary>
/// The offline grammar from a plain-language question to a <see cref="QueryPlan"/>: a time phrase (today, yesterday,
/// this/last week, month or year, the last N days, a month name, "November vs October", all time), a metric phrase, a
/// grouping phrase (by service, hour, weekday, day, month, channel, outcome; "who", "which callers"), superlatives
/// ("busiest", "top 3") and filters ("on Mondays", "asked about prices", "didn't book", "more than twice"). Returns
/// null for a question it cannot map, and for any request to change data or to look beyond the business.
/// </summary>
public static class QuestionParser
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    // No wall-clock timeout: questions are cut at 300 characters before any pattern with a quantifier runs, and every
    // pattern is literal alternations with single quantifiers (no nesting), so matching is linear in the input. A timeout
    // would only fire on a machine starved of CPU, failing good questions.
    private static readonly TimeSpan Limit = Regex.InfiniteMatchTimeout;
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
    private const string MonthPattern = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec";
    private const string DayPattern = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";

    private static readonly (string Metric, string Pattern)[] MetricPhrases =
    [
        ("booking_rate", @"booking rate|conversion|convert|what (?:percent|percentage|share|proportion)|how often .*book|rate of booking"),
        ("revenue", @"revenue|money|sales|earn|income|how much .*(?:made|make|worth|book(?:ed)?)|worth|dollars"),
        ("avg_sentiment", @"sentiment|mood|how happy|satisf|tone"),
        ("avg_lead_score", @"lead score|leads? (?:quality|score)"),
        ("avg_handle_time", @"handle time|how long|duration|length of|average call|minutes per"),
        ("missed_calls", @"\bmiss(?:ed)?\b|unanswered|hung up|hang ups?|abandon"),
        ("cancellations", @"cancel"),
        ("messages", @"messages?\b|voicemail|callback requests?"),
        ("callers", @"how many (?:different |unique |distinct )?(?:callers|people|customers)|(?:unique|distinct|different) (?:callers|customers|people)"),
        ("bookings", @"bookings?|appointments?|booked|reservations?"),
        ("chats", @"\bchats?\b|web ?chat"),
        ("calls", @"\bcall(?:s|ed|ers?)?\b|phoned|rang|ring"),
        ("conversations", @"conversations?|contacts|interactions|enquiries|inquiries|traffic"),
    ];

    /// <summary>Parses <paramref name="question"/> relative to the business's local date <paramref name="today"/>; null when it cannot.</summary>
    public static QueryPlan? Parse(string question, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(question);
        string q = Regex.Replace(question.ToLowerInvariant().Replace('’', '\''), @"\s+", " ", Options, Limit).Trim();
        if (q.Length == 0 || q.Length > 300
            || Has(q, @"\b(?:delete|drop|update|insert|truncate|alter|grant|revoke|remove|erase|wipe|modify|change|set|create)\b|;|--|/\*")
            || Has(q, @"\b(?:other|another|every|all) (?:business|businesses|tenants?|compan(?:y|ies)|clients?)\b|\btenant"))
        {
            return null;
        }

        string? dimension = Dimension(q);
        // "most popular service" names no metric: services are popular by their bookings.
        string? metric = MetricPhrases.FirstOrDefault(m => Has(q, m.Pattern)).Metric ?? (dimension == "service" ? "bookings" : null);
        if (metric is null)
        {
            return null;
        }

        var filters = new List<PlanFilter>();
        bool descending = Has(q, @"\b(?:most|busiest|top|highest|biggest|best|popular|peak|more than|over)\b");
        int? limit = TopN(q, dimension);

        if (Has(q, @"(?:ask|asked|asking|wanted|enquired|inquired|interested)\b.*\b(?:price|prices|pricing|cost|costs|how much)|price (?:question|enquir|inquir)"))
        {
            filters.Add(new("intent", "price"));
            metric = metric is "callers" or "conversations" or "calls" or "chats" ? metric : "conversations";
        }

        if (Has(q, @"(?:didn't|did not|didnt|never|without|no|not) (?:book|booking|make a booking|making a booking)"))
        {
            filters.Add(new("not_booked", "true"));
            metric = metric is "bookings" or "booking_rate" ? "conversations" : metric;
        }
        else if (metric is "calls" or "conversations" or "chats" && Has(q, @"(?:that|which) (?:booked|ended in a booking|made a booking)"))
        {
            filters.Add(new("outcome", "Booked"));
        }

        if (MoreThan(q) is { } n)
        {
            dimension = "caller";
            descending = true;
            filters.Add(new("more_than", n.ToString(CultureInfo.InvariantCulture)));
            metric = metric is "bookings" ? "bookings" : metric is "chats" ? "chats" : "calls";
        }

        if (dimension != "weekday" && Regex.Match(q, $@"\b(?:on|during) ({DayPattern})s?\b|\b({DayPattern})s\b", Options, Limit) is { Success: true } day)
        {
            string name = day.Groups[1].Success ? day.Groups[1].Value : day.Groups[2].Value;
            var dow = Enum.Parse<DayOfWeek>(name, ignoreCase: true);
            filters.Add(new("weekday", (dow == DayOfWeek.Sunday ? 7 : (int)dow).ToString(CultureInfo.InvariantCulture)));
        }

        if (dimension == "caller" && metric == "callers")
        {
            metric = "conversations";
        }

        if (dimension == "caller" && Has(q, @"\brepeat\b") && filters.All(f => f.Key != "more_than"))
        {
            filters.Add(new("more_than", "1"));
            descending = true;
        }

        if (dimension == "channel" && metric is "calls" or "chats")
        {
            metric = "conversations";
        }

        if (metric is "avg_handle_time" or "avg_sentiment" or "booking_rate" or "avg_lead_score" && dimension != "channel")
        {
            if (Has(q, @"\bcalls?\b|\bcallers?\b|phone"))
            {
                filters.Add(new("channel", "Voice"));
            }
            else if (Has(q, @"\bchats?\b"))
            {
                filters.Add(new("channel", "WebChat"));
            }
        }

        if (dimension is "service" && AskCatalogue.Metrics[metric].Source != AskSource.Bookings)
        {
            metric = metric == "revenue" ? metric : "bookings";
        }

        var (range, compare) = Ranges(q, today);
        if (compare is not null)
        {
            dimension = null;
            limit = null;
        }

        var plan = new QueryPlan(metric, dimension, filters, range, compare, descending && dimension is not null, dimension is null ? null : limit);
        return AskCatalogue.Validate(plan) is null ? plan : null;
    }

    private static string? Dimension(string q)
    {
        if (Has(q, @"\bby service|per service|each service|which services?|what services?|services? (?:is|are|was|were|get|got)|popular services?|top (?:\d{1,2} |three |five |ten )?services?|services by|by treatment"))
        {
            return "service";
        }

        if (Has(q, @"by hour|per hour|each hour|which hours?|what hours?|what time(?: of day)?|busiest (?:time|hour)|time of day|hourly|peak hour"))
        {
            return "hour";
        }

        if (Has(q, @"by (?:week ?day|day of (?:the )?week)|per weekday|each weekday|which (?:week ?)?days?\b|what (?:week ?)?day\b|busiest day|days of the week|weekday breakdown"))
        {
            return "weekday";
        }

        if (Has(q, @"per day|daily|each day|by day|by date|day by day|over time|trend|every day"))
        {
            return "day";
        }

        if (Has(q, @"by month|per month|monthly|each month|month by month"))
        {
            return "month";
        }

        if (Has(q, @"by channel|per channel|each channel|which channel|(?:phone|voice|calls?) (?:vs\.?|versus|or|and) (?:chat|web)"))
        {
            return "channel";
        }

        if (Has(q, @"by outcome|per outcome|outcomes|how did .* end|what happened"))
        {
            return "outcome";
        }

        return Has(q, @"^who\b|\bwho (?:called|asked|rang|phoned|booked|wrote|are)|which (?:callers|customers|people|numbers)|by caller|per caller|list (?:the )?callers|repeat callers|callers who|customers who|people who")
            ? "caller" : null;
    }

    private static int? TopN(string q, string? dimension)
    {
        if (Regex.Match(q, @"\btop (\d{1,2}|three|five|ten)\b", Options, Limit) is { Success: true } m)
        {
            return m.Groups[1].Value switch { "three" => 3, "five" => 5, "ten" => 10, var d => int.Parse(d, CultureInfo.InvariantCulture) };
        }

        bool single = Has(q, @"\b(?:which|what) (?:hour|day|weekday|service|channel|time)\b(?! of)|\bbusiest (?:hour|day|time)\b|most popular service\b|\bpeak hour|what time of day")
            && !Has(q, @"\b(?:hours|days|services|channels)\b");
        return single && dimension is not null ? 1 : null;
    }

    private static int? MoreThan(string q)
    {
        var m = Regex.Match(q, @"\b(?:more than|over|at least) (\d{1,4}|once|twice|three times|one|two|three|four|five|ten)\b(?: (?:times|calls|bookings|chats|visits))?", Options, Limit);
        if (!m.Success)
        {
            return null;
        }

        int n = m.Groups[1].Value switch
        {
            "once" or "one" => 1, "twice" or "two" => 2, "three times" or "three" => 3, "four" => 4, "five" => 5, "ten" => 10,
            var d => int.Parse(d, CultureInfo.InvariantCulture),
        };
        return m.Value.StartsWith("at least", StringComparison.Ordinal) ? n - 1 : n;
    }

    private static (DateRangePlan Range, DateRangePlan? Compare) Ranges(string q, DateOnly today)
    {
        var months = Regex.Matches(q, $@"\b({MonthPattern})\b", Options, Limit).Select(m => MonthOf(m.Value, today)).ToList();
        if (months.Count >= 2 && Has(q, @"\bvs\.?\b|versus|compared (?:to|with)|against|\bor\b|\band\b|difference"))
        {
            return (months[0], months[1]);
        }

        if (months.Count == 1 && !Has(q, $@"\b(?:{MonthPattern}) \d"))
        {
            return (months[0], null);
        }

        int week = ((int)today.DayOfWeek + 6) % 7;
        var monday = today.AddDays(-week);
        var first = new DateOnly(today.Year, today.Month, 1);
        if (Regex.Match(q, @"\b(?:last|past|previous) (\d{1,3}) days\b", Options, Limit) is { Success: true } days)
        {
            int n = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            return (new(today.AddDays(1 - n), today.AddDays(1), $"in the last {n} days"), null);
        }

        (DateOnly, DateOnly, string)? r =
            Has(q, @"\btoday\b") ? (today, today.AddDays(1), "today")
            : Has(q, @"\byesterday\b") ? (today.AddDays(-1), today, "yesterday")
            : Has(q, @"\b(?:last|previous|past) week\b") ? (monday.AddDays(-7), monday, "last week")
            : Has(q, @"\bthis week\b") ? (monday, today.AddDays(1), "this week")
            : Has(q, @"\b(?:last|previous|past) month\b") ? (first.AddMonths(-1), first, "last month")
            : Has(q, @"\bthis month\b|month to date") ? (first, today.AddDays(1), "this month")
            : Has(q, @"\b(?:last|previous|past) year\b") ? (new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year, 1, 1), "last year")
            : Has(q, @"\bthis year\b|year to date|\bytd\b") ? (new DateOnly(today.Year, 1, 1), today.AddDays(1), "this year")
            : Has(q, @"\b(?:all time|ever|so far|overall|in total|total)\b") ? (today.AddYears(-3).AddDays(1), today.AddDays(1), "so far")
            : null;
        return r is { } x ? (new(x.Item1, x.Item2, x.Item3), null) : (new(today.AddDays(-29), today.AddDays(1), "in the last 30 days"), null);
    }

    /// <summary>A month name as the latest such month not after today's ("November" in December 2026 is November 2026).</summary>
    private static DateRangePlan MonthOf(string name, DateOnly today)
    {
        int month = Array.FindIndex(MonthNames, m => m.StartsWith(name[..3], StringComparison.OrdinalIgnoreCase)) + 1;
        int year = month > today.Month ? today.Year - 1 : today.Year;
        var from = new DateOnly(year, month, 1);
        return new DateRangePlan(from, from.AddMonths(1), string.Create(CultureInfo.InvariantCulture, $"in {MonthNames[month - 1]} {year}"));
    }

    private static bool Has(string q, string pattern) => Regex.IsMatch(q, pattern, Options, Limit);
}
