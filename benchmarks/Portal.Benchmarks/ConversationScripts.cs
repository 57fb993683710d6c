using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>One scripted caller utterance; <paramref name="Family"/> labels it for the per-intent breakdown.</summary>
/// <param name="Family">Intent family (book, name, phone, confirm, hours, price, faq, location, goodbye).</param>
/// <param name="Text">What the caller says.</param>
/// <param name="ExpectedAnswer">For FAQ turns, the answer the agent should quote.</param>
public sealed record ScriptedTurn(string Family, string Text, string? ExpectedAnswer = null);

/// <summary>A scripted conversation: its turns and whether it is meant to end with a booking.</summary>
/// <param name="Turns">Caller turns in order.</param>
/// <param name="Books">True when the script books an appointment.</param>
public sealed record ConversationScript(IReadOnlyList<ScriptedTurn> Turns, bool Books);

/// <summary>
/// Deterministic caller scripts of about six turns: booking flows (each on its own free hourly
/// slot, so bookings do not collide), hours, prices, FAQs, location and goodbye.
/// </summary>
public static class ConversationScripts
{
    private static readonly string[] Services = ["cleaning", "teeth cleaning", "consultation", "whitening appointment", "check-up", "dental cleaning"];
    private static readonly string[] BookOpeners = ["Hi, I'd like a {0} {1}", "Hello, can I book a {0} {1}?", "I need to schedule a {0} {1}", "Do you have anything for a {0} {1}?"];
    private static readonly string[] FirstNames = ["Maria", "James", "Priya", "Daniel", "Aisha", "Tom", "Elena", "Marcus", "Sofia", "Kevin", "Grace", "Luis"];
    private static readonly string[] LastNames = ["Lopez", "Carter", "Shah", "Nguyen", "Okafor", "Brennan", "Rossi", "Wright", "Kim", "Haddad"];
    private static readonly string[] NameForms = ["It's {0}", "My name is {0}", "{0}", "This is {0}"];
    // Not "you can reach me at …": the classifier reads "reach me" as a callback request (see docs/benchmarks.md).
    private static readonly string[] PhoneForms = ["({0}) {1}-{2}", "it's {0} {1} {2}", "My number is {0}-{1}-{2}"];
    private static readonly string[] Confirms = ["Yes", "Yes please", "That's right, book it", "Sounds good, yes"];
    private static readonly string[] Hours = ["What are your hours on Saturday?", "What time do you close today?", "Are you open on Friday?", "When do you open tomorrow?", "What are your opening hours?"];
    private static readonly string[] Prices = ["How much is a cleaning?", "How much does whitening cost?", "What's the price of a consultation?", "How much do you charge for an emergency visit?"];
    private static readonly string[] Locations = ["Where are you located?", "What's your address?", "Where is your office?"];
    private static readonly string[] FaqForms = ["{0}", "Quick question: {0}", "I was wondering, {1}"];
    private static readonly string[] Goodbyes = ["That's all, thanks. Bye!", "No, that's everything. Goodbye.", "Great, bye", "Thanks, that's all I needed. Bye."];

    /// <summary>
    /// <paramref name="count"/> scripts; two in three book (one free weekday hourly slot each, from
    /// tomorrow on, in the business's local calendar <paramref name="todayLocal"/>).
    /// </summary>
    public static List<ConversationScript> Build(int count, DateOnly todayLocal, IReadOnlyList<(string Question, string Answer)> faqs)
    {
        using var slots = Slots(todayLocal).GetEnumerator();
        var scripts = new List<ConversationScript>(count);
        for (var i = 0; i < count; i++)
        {
            ScriptedTurn Faq(int k)
            {
                var (q, a) = faqs[((i * 7) + (k * 31)) % faqs.Count];
                var form = FaqForms[(i + k) % FaqForms.Length];
                return new ScriptedTurn("faq", string.Format(CultureInfo.InvariantCulture, form, q, char.ToLowerInvariant(q[0]) + q[1..]), a);
            }

            ScriptedTurn Pick(string family, string[] options, int k = 0) => new(family, options[(i + k) % options.Length]);

            switch (i % 3)
            {
                case 0:
                    slots.MoveNext();
                    scripts.Add(new ConversationScript([.. Booking(i, todayLocal, slots.Current), Faq(0), Pick("goodbye", Goodbyes)], Books: true));
                    break;
                case 1:
                    scripts.Add(new ConversationScript(
                        [Pick("hours", Hours), Pick("price", Prices), Faq(0), Pick("location", Locations), Faq(1), Pick("goodbye", Goodbyes)], Books: false));
                    break;
                default:
                    slots.MoveNext();
                    scripts.Add(new ConversationScript([Pick(i % 2 == 0 ? "price" : "hours", i % 2 == 0 ? Prices : Hours), .. Booking(i, todayLocal, slots.Current), Pick("goodbye", Goodbyes, 1)], Books: true));
                    break;
            }
        }

        return scripts;
    }

    private static IEnumerable<ScriptedTurn> Booking(int i, DateOnly today, DateTime slot)
    {
        var service = Services[i % Services.Length];
        var when = $"{DatePhrase(today, DateOnly.FromDateTime(slot), i)} at {TimePhrase(slot.Hour, i)}";
        yield return new("book", string.Format(CultureInfo.InvariantCulture, BookOpeners[i % BookOpeners.Length], service, when));
        var name = $"{FirstNames[i % FirstNames.Length]} {LastNames[(i / FirstNames.Length) % LastNames.Length]}";
        yield return new("name", string.Format(CultureInfo.InvariantCulture, NameForms[i % NameForms.Length], name));
        var line = (1000 + (i % 9000)).ToString(CultureInfo.InvariantCulture);
        yield return new("phone", string.Format(CultureInfo.InvariantCulture, PhoneForms[i % PhoneForms.Length], "917", "284", line));
        yield return new("confirm", Confirms[i % Confirms.Length]);
    }

    /// <summary>Free weekday hourly starts (8 am to 4 pm; every service here is at most 60 minutes), from tomorrow on.</summary>
    private static IEnumerable<DateTime> Slots(DateOnly today)
    {
        for (var day = today.AddDays(1); ; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            for (var hour = 8; hour <= 16; hour++)
            {
                yield return day.ToDateTime(new TimeOnly(hour, 0));
            }
        }
    }

    private static string DatePhrase(DateOnly today, DateOnly date, int i)
    {
        var days = date.DayNumber - today.DayNumber;
        return days switch
        {
            1 => "tomorrow",
            < 7 => $"on {date.DayOfWeek}",
            _ when i % 2 == 0 => $"on {DateTimeFormatInfo.InvariantInfo.GetMonthName(date.Month)} {date.Day}",
            _ => $"on {DateTimeFormatInfo.InvariantInfo.GetAbbreviatedMonthName(date.Month)} {date.Day}",
        };
    }

    private static string TimePhrase(int hour, int i)
    {
        var h12 = hour > 12 ? hour - 12 : hour;
        var suffix = hour >= 12 ? "pm" : "am";
        return (i % 3) switch
        {
            0 => $"{h12}{suffix}",
            1 => $"{h12} {suffix}",
            _ => $"{h12}:00 {suffix}",
        };
    }
}
