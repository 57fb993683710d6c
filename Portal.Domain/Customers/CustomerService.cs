using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Audit;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Customers;

/// <summary>
/// The Customers pages' service: the current tenant's customers (the tenant query filter scopes every read, so another
/// business's customer is indistinguishable from an unknown id), each one's timeline across channels, and their notes,
/// whose changes are written to the audit log.
/// </summary>
public sealed class CustomerService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, AuditLog audit, TimeProvider timeProvider)
{
    /// <summary>Maximum length of a search.</summary>
    public const int SearchMaxLength = 100;

    /// <summary>Customers matching <paramref name="search"/> (name, email or phone digits), latest contact first, one page.</summary>
    public async Task<CustomerPage> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Customers.AsNoTracking();
        var text = search?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            text = text.Length > SearchMaxLength ? text[..SearchMaxLength] : text;
            var pattern = $"%{Escape(text.ToLowerInvariant())}%";
            var digits = new string([.. text.Where(char.IsAsciiDigit)]);
            var phonePattern = digits.Length >= 3 ? $"%{digits}%" : null;
            customers = customers.Where(c => EF.Functions.ILike(c.Name ?? "", pattern, "\\") || EF.Functions.ILike(c.Email ?? "", pattern, "\\")
                || (phonePattern != null && EF.Functions.Like(c.Phone ?? "", phonePattern)));
        }

        var total = await customers.CountAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, 100);
        var rows = await customers.OrderByDescending(c => c.LastContactAt).ThenBy(c => c.Id)
            .Skip(Math.Max(0, page - 1) * size).Take(size)
            .Select(c => new CustomerRow(c.Id, c.Name, c.Phone, c.Email, c.LastContactAt,
                db.Conversations.Count(v => v.CustomerId == c.Id && v.Channel == Channel.Voice),
                db.Conversations.Count(v => v.CustomerId == c.Id && v.Channel == Channel.WebChat),
                db.Conversations.Count(v => v.CustomerId == c.Id && v.Channel == Channel.Sms),
                db.Bookings.Count(b => b.CustomerId == c.Id),
                db.ConversationInsights.Where(i => db.Conversations.Any(v => v.Id == i.ConversationId && v.CustomerId == c.Id))
                    .OrderByDescending(i => i.AnalyzedAt).Select(i => (int?)i.LeadScore).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new CustomerPage(rows, total);
    }

    /// <summary>The customer with their timeline, or null when the id is not one of the current tenant's customers.</summary>
    public async Task<CustomerDetail?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var conversations = await db.Conversations.AsNoTracking().Where(c => c.CustomerId == id && !c.IsTest)
            .OrderByDescending(c => c.StartedAt).Take(200)
            .Select(c => new
            {
                c.Id, c.Channel, c.StartedAt, c.Outcome,
                Insight = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => new { i.Summary, i.LeadScore, i.LeadReasons, i.AnalyzedAt }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var bookings = await db.Bookings.AsNoTracking().Where(b => b.CustomerId == id)
            .OrderByDescending(b => b.StartUtc).Take(200)
            .Select(b => new { b.StartUtc, b.Status, Service = b.Service!.Name, b.Notes })
            .ToListAsync(cancellationToken);
        var phone = customer.Phone;
        var messages = await db.CallerMessages.AsNoTracking()
            .Where(m => (m.ConversationId != null && conversationIds.Contains(m.ConversationId.Value)) || (phone != null && m.CallerPhone == phone))
            .OrderByDescending(m => m.CreatedAt).Take(200)
            .Select(m => new { m.CreatedAt, m.Body, m.Status, m.ConversationId })
            .ToListAsync(cancellationToken);

        var timeline = new List<TimelineEntry>();
        timeline.AddRange(conversations.Select(c => new TimelineEntry(CustomerDisplay.Kind(c.Channel), c.StartedAt,
            $"{KindLabel(CustomerDisplay.Kind(c.Channel))} · {Words(c.Outcome.ToString())}", c.Insight?.Summary, c.Insight?.LeadScore, $"/conversations/{c.Id}")));
        timeline.AddRange(bookings.Select(b => new TimelineEntry(TimelineKind.Booking, b.StartUtc,
            b.Status == BookingStatus.Cancelled ? $"{b.Service} (cancelled)" : b.Service, b.Notes, null,
            string.Create(CultureInfo.InvariantCulture, $"/bookings?date={b.StartUtc.UtcDateTime:yyyy-MM-dd}"))));
        timeline.AddRange(messages.Select(m => new TimelineEntry(TimelineKind.Message, m.CreatedAt,
            $"Message taken · {Words(m.Status.ToString())}", m.Body, null, m.ConversationId is { } cid ? $"/conversations/{cid}" : null)));

        var now = timeProvider.GetUtcNow();
        var next = bookings.Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc > now).MinBy(b => b.StartUtc);
        var latest = conversations.Where(c => c.Insight is not null).MaxBy(c => c.Insight!.AnalyzedAt)?.Insight;
        return new CustomerDetail(customer.Id, customer.Name, customer.Phone, customer.Email, customer.Notes, customer.FirstContactAt, customer.LastContactAt,
            latest?.LeadScore, latest?.LeadReasons ?? [],
            next is null ? null : new TimelineEntry(TimelineKind.Booking, next.StartUtc, next.Service, null, null, null),
            [.. timeline.OrderByDescending(e => e.At)]);
    }

    /// <summary>
    /// Replaces the customer's notes and records who changed them in the audit log (lengths only: notes may hold personal
    /// data). False when the id is not one of the current tenant's customers.
    /// </summary>
    /// <exception cref="ArgumentException">The notes are longer than <see cref="Customer.NotesMaxLength"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">Nobody is signed in.</exception>
    public async Task<bool> SaveNotesAsync(Guid id, string? notes, CancellationToken cancellationToken)
    {
        var text = (notes ?? "").Trim();
        if (text.Length > Customer.NotesMaxLength)
        {
            throw new ArgumentException($"Notes can be at most {Customer.NotesMaxLength} characters.", nameof(notes));
        }

        var actor = await audit.RequireActorAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return false;
        }

        var before = customer.Notes.Length;
        customer.Notes = text;
        audit.Stage(db, actor, AuditActions.CustomerNotes, nameof(Customer), id.ToString(), tenantContext.TenantId ?? customer.TenantId,
            new { before, after = text.Length });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>"Call", "Chat", "Text", "Booking", "Message".</summary>
    public static string KindLabel(TimelineKind kind) => kind switch
    {
        TimelineKind.Call => "Call",
        TimelineKind.Chat => "Website chat",
        TimelineKind.Text => "Text messages",
        TimelineKind.Booking => "Booking",
        _ => "Message",
    };

    private static string Words(string pascal) =>
        string.Concat(pascal.Select((ch, i) => i > 0 && char.IsUpper(ch) ? $" {char.ToLowerInvariant(ch)}" : ch.ToString()));

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
