using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Notifications;

/// <summary>Someone a business's notifications can go to: a member, or (null <see cref="UserId"/>) the business phone.</summary>
/// <param name="UserId">The member, or null for the business phone.</param>
/// <param name="Name">Display name ("Business phone" for the phone).</param>
/// <param name="Email">The member's email; null for the business phone.</param>
/// <param name="Phone">Where an SMS goes (E.164), or null when there is no usable number.</param>
/// <param name="IsOwner">Whether the member is an owner.</param>
public sealed record NotificationRecipient(Guid? UserId, string Name, string? Email, string? Phone, bool IsOwner);

/// <summary>One recipient's choice for one event.</summary>
public sealed record NotificationChoice(bool Email, bool Sms);

/// <summary>Settings → Notifications: every recipient and their choice per event (defaults filled in).</summary>
public sealed record NotificationMatrix(IReadOnlyList<NotificationRecipient> Recipients, IReadOnlyDictionary<(Guid? UserId, NotificationEvent Event), NotificationChoice> Choices);

/// <summary>Where one event's notifications go: email addresses and E.164 numbers.</summary>
public sealed record NotificationTargets(IReadOnlyList<string> Emails, IReadOnlyList<string> Phones);

/// <summary>
/// Who of a business gets which event by email or SMS. The owner edits it on Settings → Notifications; every sender
/// (<see cref="PlatformNotifier"/>, the billing notices) asks <see cref="TargetsAsync"/> whom to tell.
/// </summary>
public sealed class NotificationSettings(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext)
{
    /// <summary>Name shown for the business phone row.</summary>
    public const string BusinessPhoneName = "Business phone";

    /// <summary>The current business's recipients (owners, then staff, then the business phone) and choices.</summary>
    /// <exception cref="InvalidOperationException">No current business.</exception>
    public async Task<NotificationMatrix> GetAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Notifications belong to a business; there is no current business.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (recipients, rows) = await LoadAsync(db, tenantId, cancellationToken);
        var choices = new Dictionary<(Guid?, NotificationEvent), NotificationChoice>();
        foreach (var recipient in recipients)
        {
            foreach (var e in Enum.GetValues<NotificationEvent>())
            {
                choices[(recipient.UserId, e)] = Choice(rows, recipient, e);
            }
        }

        return new NotificationMatrix(recipients, choices);
    }

    /// <summary>Sets one recipient's choice for one event in the current business.</summary>
    /// <param name="userId">A member of the business, or null for the business phone.</param>
    /// <param name="notificationEvent">The event.</param>
    /// <param name="choice">Email and SMS; the business phone takes SMS only.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">Not a member of the business, or an email for the business phone; nothing changes.</exception>
    /// <exception cref="InvalidOperationException">No current business.</exception>
    public async Task SetAsync(Guid? userId, NotificationEvent notificationEvent, NotificationChoice choice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Notifications belong to a business; there is no current business.");
        if (!Enum.IsDefined(notificationEvent))
        {
            throw new ArgumentException("Unknown event.", nameof(notificationEvent));
        }

        if (userId is null && choice.Email)
        {
            throw new ArgumentException("The business phone can only get SMS.", nameof(choice));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (userId is { } id && !await db.Users.AnyAsync(u => u.Id == id && u.TenantId == tenantId, cancellationToken))
        {
            throw new ArgumentException("That person is not in your team.", nameof(userId));
        }

        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.UserId == userId && p.Event == notificationEvent, cancellationToken);
        if (row is null)
        {
            row = new NotificationPreference { TenantId = tenantId, UserId = userId, Event = notificationEvent };
            db.NotificationPreferences.Add(row);
        }

        row.Email = choice.Email;
        row.Sms = choice.Sms;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whom to tell about <paramref name="notificationEvent"/> in business <paramref name="tenantId"/> (any
    /// business: senders are jobs and engines without a current business).</summary>
    public async Task<NotificationTargets> TargetsAsync(Guid tenantId, NotificationEvent notificationEvent, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (recipients, rows) = await LoadAsync(db, tenantId, cancellationToken);
        var emails = new List<string>();
        var phones = new List<string>();
        foreach (var recipient in recipients)
        {
            var choice = Choice(rows, recipient, notificationEvent);
            if (choice.Email && recipient.Email is { } email)
            {
                emails.Add(email);
            }

            if (choice.Sms && recipient.Phone is { } phone && !phones.Contains(phone))
            {
                phones.Add(phone);
            }
        }

        return new NotificationTargets(emails, phones);
    }

    private static NotificationChoice Choice(List<NotificationPreference> rows, NotificationRecipient recipient, NotificationEvent e) =>
        rows.FirstOrDefault(r => r.UserId == recipient.UserId && r.Event == e) is { } row
            ? new NotificationChoice(row.Email && recipient.UserId is not null, row.Sms)
            : new NotificationChoice(recipient.UserId is not null && NotificationPreference.DefaultEmail(e, recipient.IsOwner), NotificationPreference.DefaultSms(e, recipient.UserId is null));

    private static async Task<(List<NotificationRecipient> Recipients, List<NotificationPreference> Rows)> LoadAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        // Read by explicit tenant id: senders run outside any current business.
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Phone }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"No business {tenantId}.", nameof(tenantId));
        var ownerRole = db.Roles.Where(r => r.Name == Roles.BusinessOwner).Select(r => r.Id);
        var members = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId && u.Email != null)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.PhoneNumber, IsOwner = db.UserRoles.Any(ur => ur.UserId == u.Id && ownerRole.Contains(ur.RoleId)) })
            .ToListAsync(cancellationToken);
        var recipients = members
            .OrderBy(m => m.IsOwner ? 0 : 1).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .Select(m => new NotificationRecipient(m.Id, m.DisplayName.Length > 0 ? m.DisplayName : m.Email!, m.Email, Usable(m.PhoneNumber), m.IsOwner))
            .Append(new NotificationRecipient(null, BusinessPhoneName, null, Usable(tenant.Phone), false))
            .ToList();
        var rows = await db.NotificationPreferences.IgnoreQueryFilters().AsNoTracking().Where(p => p.TenantId == tenantId).ToListAsync(cancellationToken);
        return (recipients, rows);
    }

    private static string? Usable(string? phone) => phone is { } p && p.StartsWith('+') && E164.TryNormalize(p) == p ? p : null;
}
