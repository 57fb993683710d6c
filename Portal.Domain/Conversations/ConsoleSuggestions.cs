using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Conversations;

/// <summary>What a console suggestion tries.</summary>
public enum SuggestionKind
{
    /// <summary>Book one of the business's services at a time it is open.</summary>
    Book,
    /// <summary>Ask the business's hours.</summary>
    Hours,
    /// <summary>Ask the price of a service.</summary>
    Price,
    /// <summary>Ask one of the business's own FAQs.</summary>
    Question,
    /// <summary>Cancel an appointment.</summary>
    Cancel,
    /// <summary>Leave a message.</summary>
    Message,
}

/// <summary>One "thing to try" in the console.</summary>
/// <param name="Kind">What it tries.</param>
/// <param name="Text">What to type, as a customer would say it.</param>
public sealed record Suggestion(SuggestionKind Kind, string Text);

/// <summary>
/// The console's "Things to try", from the business's own facts (services, hours, FAQs) rather than one vertical's
/// examples: a salon is offered a haircut at a time it is open, never a dental cleaning.
/// </summary>
public sealed class ConsoleSuggestions(
    BusinessProfileCache profiles,
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    TimeProvider timeProvider)
{
    /// <summary>Most FAQ questions suggested.</summary>
    public const int MaxQuestions = 2;

    /// <summary>Longest suggested FAQ question, characters (longer ones are skipped).</summary>
    public const int MaxQuestionLength = 120;

    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The current tenant's suggestions. Throws <see cref="InvalidOperationException"/> when there is no current tenant.</summary>
    public async Task<IReadOnlyList<Suggestion>> ForCurrentTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var profile = await profiles.GetAsync(tenantId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var questions = await db.KnowledgeDocuments.AsNoTracking()
            .Where(d => d.Kind == KnowledgeKind.Faq && d.Status == KnowledgeStatus.Ready && d.Title.Length <= MaxQuestionLength)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Select(d => d.Title).Take(MaxQuestions).ToListAsync(cancellationToken);
        return Build(profile, questions, profile.ToLocal(timeProvider.GetUtcNow()));
    }

    /// <summary>
    /// Suggestions for <paramref name="profile"/> at the business-local <paramref name="nowLocal"/>: book its first service
    /// at the next open day (an hour after opening), its closing time on its last open weekday, the price of another
    /// service, up to <see cref="MaxQuestions"/> of <paramref name="faqQuestions"/>, cancelling (when it books) and a
    /// callback. A suggestion whose facts are missing (no services, no hours) is left out.
    /// </summary>
    public static IReadOnlyList<Suggestion> Build(BusinessProfile profile, IReadOnlyList<string> faqQuestions, DateTime nowLocal)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(faqQuestions);
        var list = new List<Suggestion>();
        var book = profile.Services.FirstOrDefault();
        if (book is not null)
        {
            var today = DateOnly.FromDateTime(nowLocal);
            list.Add(NextOpening(profile, book, today) is { } slot
                ? new(SuggestionKind.Book, $"I'd like to book {Noun(book.Name, article: true)} {When(slot.Date, today)} at {Clock(slot.Time)}")
                : new(SuggestionKind.Book, $"I'd like to book {Noun(book.Name, article: true)}"));
        }

        if (LastOpenDay(profile) is { } day)
        {
            list.Add(new(SuggestionKind.Hours, $"What time do you close on {En.DateTimeFormat.GetDayName(day)}?"));
        }

        var priced = profile.Services.Where(s => s.PriceCents is not null).ToList();
        if ((priced.FirstOrDefault(s => s != book) ?? priced.FirstOrDefault()) is { } price)
        {
            list.Add(new(SuggestionKind.Price, IsPlural(price.Name) ? $"How much are {Noun(price.Name, article: false)}?" : $"How much is {Noun(price.Name, article: true)}?"));
        }

        list.AddRange(faqQuestions.Select(q => q.Trim()).Where(q => q.Length is > 0 and <= MaxQuestionLength)
            .Take(MaxQuestions).Select(q => new Suggestion(SuggestionKind.Question, q)));
        if (book is not null)
        {
            list.Add(new(SuggestionKind.Cancel, "I need to cancel my appointment"));
        }

        list.Add(new(SuggestionKind.Message, "Can someone call me back?"));
        return list;
    }

    /// <summary>The first open day after <paramref name="today"/> (within two weeks) and a start an hour after opening when the service still fits, else at opening.</summary>
    private static (DateOnly Date, TimeOnly Time)? NextOpening(BusinessProfile profile, ServiceInfo service, DateOnly today)
    {
        for (var d = 1; d <= 14; d++)
        {
            var date = today.AddDays(d);
            if (profile.IntervalsOn(date) is [var first, ..])
            {
                var later = first.Opens.AddHours(1);
                var fits = later > first.Opens && later.AddMinutes(service.DurationMinutes) <= first.Closes;
                return (date, fits ? later : first.Opens);
            }
        }

        return null;
    }

    /// <summary>The last weekday (Monday first, Sunday last) with opening hours, or null when no hours are set.</summary>
    private static DayOfWeek? LastOpenDay(BusinessProfile profile)
    {
        DayOfWeek[] week = [DayOfWeek.Sunday, DayOfWeek.Saturday, DayOfWeek.Friday, DayOfWeek.Thursday, DayOfWeek.Wednesday, DayOfWeek.Tuesday, DayOfWeek.Monday];
        return week.Where(d => profile.Hours[(int)d].Count > 0).Select(d => (DayOfWeek?)d).FirstOrDefault();
    }

    private static string When(DateOnly date, DateOnly today) =>
        date == today.AddDays(1) ? "tomorrow"
        : date <= today.AddDays(7) ? "on " + En.DateTimeFormat.GetDayName(date.DayOfWeek)
        : "on " + date.ToString("MMMM d", En);

    /// <summary>"11am", "2:30pm", "12pm".</summary>
    private static string Clock(TimeOnly time)
    {
        var hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        var suffix = time.Hour < 12 ? "am" : "pm";
        return time.Minute == 0
            ? string.Create(En, $"{hour12}{suffix}")
            : string.Create(En, $"{hour12}:{time.Minute:00}{suffix}");
    }

    /// <summary>A service name as a customer types it: lower case except acronyms ("AC repair"), with "a"/"an" unless plural.</summary>
    private static string Noun(string name, bool article)
    {
        var words = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > 1 && w.All(c => !char.IsLetter(c) || char.IsUpper(c)) ? w : w.ToLower(En));
        var noun = string.Join(' ', words);
        if (!article || IsPlural(name))
        {
            return noun;
        }

        return ("aeiou".Contains(char.ToLowerInvariant(noun[0]), StringComparison.Ordinal) ? "an " : "a ") + noun;
    }

    /// <summary>"Highlights", "Brakes": ends in a single s.</summary>
    private static bool IsPlural(string name)
    {
        var n = name.Trim();
        return n.Length > 2 && n.EndsWith('s') && !n.EndsWith("ss", StringComparison.OrdinalIgnoreCase);
    }
}
