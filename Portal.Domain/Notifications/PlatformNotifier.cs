using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Numbers;

namespace Portal.Domain.Notifications;

/// <summary>A drift finding as the admin report lists it.</summary>
/// <param name="Kind">What differs.</param>
/// <param name="E164">The number.</param>
/// <param name="Detail">One line for people ("voice webhook is https://old.example.com/voice").</param>
public sealed record DriftReportLine(DriftKind Kind, string E164, string Detail);

/// <summary>
/// The platform's messages to people, written through <see cref="IOutbox"/>: "your number is live"
/// to a business's users, the drift report to platform admins, and a caller's message to the business.
/// Recipients are looked up here (across tenants on purpose: notifications are platform work).
/// </summary>
public sealed class PlatformNotifier(IDbContextFactory<PortalDbContext> contextFactory, IOutbox outbox, NotificationSettings settings)
{
    /// <summary>Emails every user of <paramref name="tenantId"/> that <paramref name="e164"/> now answers for them. Returns how many emails.</summary>
    public async Task<int> NumberLiveAsync(Guid tenantId, string e164, CancellationToken cancellationToken)
    {
        var (name, emails, _) = await TenantRecipientsAsync(tenantId, cancellationToken);
        foreach (var email in emails)
        {
            await outbox.SendEmailAsync(email, $"Your Portal number {E164.Display(e164)} is live",
                $"Good news: calls to {E164.Display(e164)} are now answered by {name}'s AI receptionist.\n\nTry it: call the number, or use \"Talk to your agent\" in Portal.",
                OutboxCategories.NumberLive, tenantId, cancellationToken);
        }

        return emails.Count;
    }

    /// <summary>Emails every platform admin the new drift <paramref name="lines"/> (nothing when empty). Returns how many emails.</summary>
    public async Task<int> DriftReportAsync(IReadOnlyList<DriftReportLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return 0;
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"Reconciliation found {lines.Count} new difference(s) between the number pool and the provider:\n\n");
        foreach (var line in lines.Take(100))
        {
            body.Append(CultureInfo.InvariantCulture, $"- {line.E164}: {line.Kind} — {line.Detail}\n");
        }

        if (lines.Count > 100)
        {
            body.Append(CultureInfo.InvariantCulture, $"…and {lines.Count - 100} more.\n");
        }

        body.Append("\nOpen Platform › Numbers in Portal to review and fix them.");
        var admins = await AdminEmailsAsync(cancellationToken);
        foreach (var email in admins)
        {
            await outbox.SendEmailAsync(email, $"Number pool drift: {lines.Count} new finding(s)", body.ToString(), OutboxCategories.PoolDrift, null, cancellationToken);
        }

        return admins.Count;
    }

    /// <summary>
    /// Tells the business a caller left a message: an email and an SMS to whoever Settings → Notifications says
    /// (by default an email to each member and an SMS to the business phone). Returns how many messages.
    /// </summary>
    public async Task<int> CallerMessageAsync(Guid tenantId, string? callerName, string? callerPhone, string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var (name, _, _) = await TenantRecipientsAsync(tenantId, cancellationToken);
        var from = string.Join(" ", new[] { callerName, callerPhone is null ? null : E164.Display(callerPhone) }.Where(s => !string.IsNullOrWhiteSpace(s)));
        from = from.Length == 0 ? "A caller" : from;
        var excerpt = message.Length > 1000 ? message[..1000] + "…" : message;
        return await NotifyAsync(tenantId, NotificationEvent.MessageTaken, $"New message for {name} from {from}",
            $"{from} left a message:\n\n{excerpt}\n\nSee Messages in Portal to call back.", $"Portal: new message from {from}: {excerpt}",
            OutboxCategories.CallerMessage, cancellationToken);
    }

    /// <summary>Tells the business a booking was made or cancelled, to whoever Settings → Notifications says.</summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="notificationEvent"><see cref="NotificationEvent.BookingCreated"/> or <see cref="NotificationEvent.BookingCancelled"/>.</param>
    /// <param name="summary">One line for people ("Cleaning for Jo Smith on Tue 9 Dec 10:00").</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>How many messages.</returns>
    public async Task<int> BookingAsync(Guid tenantId, NotificationEvent notificationEvent, string summary, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        var cancelled = notificationEvent == NotificationEvent.BookingCancelled;
        var (name, _, _) = await TenantRecipientsAsync(tenantId, cancellationToken);
        var what = cancelled ? "Booking cancelled" : "New booking";
        return await NotifyAsync(tenantId, notificationEvent, $"{what} for {name}: {summary}", $"{what}: {summary}\n\nSee Bookings in Portal.",
            $"Portal: {what.ToLowerInvariant()}: {summary}", cancelled ? OutboxCategories.BookingCancelled : OutboxCategories.BookingCreated, cancellationToken);
    }

    /// <summary>Tells the business its agent met a question its knowledge does not answer (a new gap), to whoever
    /// Settings → Notifications says (by default nobody: the Knowledge page lists gaps).</summary>
    /// <returns>How many messages.</returns>
    public async Task<int> KnowledgeGapAsync(Guid tenantId, string question, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var excerpt = question.Length > 300 ? question[..300] + "…" : question.Trim();
        var (name, _, _) = await TenantRecipientsAsync(tenantId, cancellationToken);
        return await NotifyAsync(tenantId, NotificationEvent.KnowledgeGap, $"{name}: a question your agent could not answer",
            $"A caller asked:\n\n\"{excerpt}\"\n\nYour agent's knowledge has no answer yet. Open Knowledge in Portal to add one.",
            $"Portal: unanswered question: {excerpt}", OutboxCategories.KnowledgeGap, cancellationToken);
    }

    private async Task<int> NotifyAsync(Guid tenantId, NotificationEvent notificationEvent, string subject, string body, string sms, string category, CancellationToken cancellationToken)
    {
        var targets = await settings.TargetsAsync(tenantId, notificationEvent, cancellationToken);
        foreach (var email in targets.Emails)
        {
            await outbox.SendEmailAsync(email, subject.Length > OutboxMessage.SubjectMaxLength ? subject[..(OutboxMessage.SubjectMaxLength - 1)] + "…" : subject, body, category, tenantId, cancellationToken);
        }

        foreach (var phone in targets.Phones)
        {
            await outbox.SendSmsAsync(phone, sms.Length > OutboxMessage.SmsMaxLength ? sms[..(OutboxMessage.SmsMaxLength - 1)] + "…" : sms, category, tenantId, cancellationToken);
        }

        return targets.Emails.Count + targets.Phones.Count;
    }

    /// <summary>
    /// Tells the business's users that a webhook endpoint was disabled because every delivery failed since
    /// <paramref name="failingSince"/>. Returns how many emails were queued.
    /// </summary>
    public async Task<int> WebhookDisabledAsync(Guid tenantId, string url, DateTimeOffset failingSince, CancellationToken cancellationToken)
    {
        var (name, emails, _) = await TenantRecipientsAsync(tenantId, cancellationToken);
        foreach (var email in emails)
        {
            await outbox.SendEmailAsync(email, $"Webhook endpoint disabled for {name}",
                $"Deliveries to {url} have failed since {failingSince:yyyy-MM-dd HH:mm} UTC, so the endpoint was disabled and no more events are sent to it.\n\n"
                + "Fix the receiver, then enable the endpoint again under Settings → Webhooks in Portal; failed deliveries can be replayed from there.",
                OutboxCategories.WebhookDisabled, tenantId, cancellationToken);
        }

        return emails.Count;
    }

    private async Task<(string Name, List<string> Emails, string? Phone)> TenantRecipientsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform work about one named tenant: read it without the current-tenant filter.
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Name, t.Phone }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"No business {tenantId}.", nameof(tenantId));
        var emails = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId && u.Email != null)
            .OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken);
        var phone = tenant.Phone is { } p && p.StartsWith('+') && E164.TryNormalize(p) == p ? p : null;
        return (tenant.Name, emails, phone);
    }

    private async Task<List<string>> AdminEmailsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var roleId = db.Roles.Where(r => r.Name == Roles.PlatformAdmin).Select(r => r.Id);
        var userIds = db.UserRoles.Where(ur => roleId.Contains(ur.RoleId)).Select(ur => ur.UserId);
        return await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null)
            .OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken);
    }
}
