using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Notifications;

namespace Portal.Domain.Scheduling;

/// <summary>
/// <see cref="IBookingStore"/> on PostgreSQL. Writes rely on the <c>ex_bookings_no_overlap</c>
/// exclusion constraint (btree_gist) to refuse overlapping confirmed bookings of one tenant even
/// when two conversations race for the same slot. Reads ignore the tenant query filter only to
/// scope by the explicit <c>tenantId</c> argument, because the voice channel runs
/// without a signed-in user. A stored caller message is announced to the business through
/// <see cref="PlatformNotifier.CallerMessageAsync"/> (outbox email to each of its users, SMS to its phone).
/// </summary>
public sealed class EfBookingStore(IDbContextFactory<PortalDbContext> contextFactory, PlatformNotifier notifier, Webhooks.IWebhookPublisher webhooks, Customers.CustomerMatcher customers, ILogger<EfBookingStore> logger) : IBookingStore
{
    /// <summary>Name of the exclusion constraint created by the initial migration.</summary>
    public const string OverlapConstraint = "ex_bookings_no_overlap";

    /// <summary>Attempts of a booking insert that PostgreSQL aborts as a deadlock victim (SQLSTATE 40P01).</summary>
    public const int MaxWriteAttempts = 4;

    /// <inheritdoc />
    public async Task<IReadOnlyList<BusyInterval>> GetBusyAsync(Guid tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId below
            .Where(b => b.TenantId == tenantId && b.Status == BookingStatus.Confirmed && b.StartUtc < toUtc && fromUtc < b.EndUtc)
            .Where(b => excludeBookingId == null || b.Id != excludeBookingId)
            .Select(b => new BusyInterval(b.StartUtc, b.EndUtc))
            .ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The customer is matched first (by phone) and the booking written with it in one insert, so nothing updates the
    /// booking row afterwards. An insert that PostgreSQL aborts as a deadlock victim is run again
    /// (<see cref="MaxWriteAttempts"/>): racing inserts of overlapping bookings each wait for the other's entry in the
    /// exclusion constraint's index, and the server resolves that by aborting one of them
    /// (https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-DEADLOCKS); run again, it is either written or
    /// refused as an overlap.
    /// </remarks>
    public async Task<Guid?> CreateAsync(NewBooking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var match = await customers.MatchAsync(booking.TenantId, booking.CustomerPhone, null, booking.CustomerName, cancellationToken);
        Guid? written;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                written = await InsertAsync(booking, match?.CustomerId, cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < MaxWriteAttempts && IsDeadlock(ex))
            {
                logger.LogInformation("Booking insert for tenant {TenantId} was a deadlock victim (attempt {Attempt}); running it again", booking.TenantId, attempt);
            }
        }

        if (written is not { } id)
        {
            return null;
        }

        // The booking is written: attaching its conversation must not undo it when the caller hangs up now.
        if (match is not null && booking.ConversationId is { } conversationId)
        {
            await customers.AttachConversationAsync(booking.TenantId, conversationId, match.CustomerId, CancellationToken.None);
        }

        await PublishBookingAsync(booking.TenantId, id, Webhooks.WebhookEventTypes.BookingCreated, cancellationToken);
        await NotifyBookingAsync(booking.TenantId, id, NotificationEvent.BookingCreated, cancellationToken);
        return id;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BookingSummary>> FindUpcomingAsync(Guid tenantId, string? phone, string? name, DateTimeOffset fromUtc, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var upcoming = db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId below
            .Where(b => b.TenantId == tenantId && b.Status == BookingStatus.Confirmed && b.StartUtc >= fromUtc);
        List<Booking> found = [];
        if (phone is not null)
        {
            found = await upcoming.Include(b => b.Service).Where(b => b.CustomerPhone == phone).OrderBy(b => b.StartUtc).Take(10).ToListAsync(cancellationToken);
        }

        if (found.Count == 0 && !string.IsNullOrWhiteSpace(name))
        {
            var lowered = name.Trim().ToLowerInvariant();
            found = await upcoming.Include(b => b.Service).Where(b => b.CustomerName.ToLower() == lowered).OrderBy(b => b.StartUtc).Take(10).ToListAsync(cancellationToken);
        }

        return found.Select(b => new BookingSummary(b.Id, b.ServiceId, b.Service?.Name ?? "appointment", b.StartUtc, b.EndUtc, b.CustomerName, b.CustomerPhone)).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> CancelAsync(Guid tenantId, Guid bookingId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId below
            .Where(b => b.TenantId == tenantId && b.Id == bookingId && b.Status == BookingStatus.Confirmed)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BookingStatus.Cancelled).SetProperty(b => b.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
        if (rows == 1)
        {
            await PublishBookingAsync(tenantId, bookingId, Webhooks.WebhookEventTypes.BookingCancelled, cancellationToken);
            await NotifyBookingAsync(tenantId, bookingId, NotificationEvent.BookingCancelled, cancellationToken);
        }

        return rows == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RescheduleAsync(Guid tenantId, Guid bookingId, DateTimeOffset startUtc, DateTimeOffset endUtc, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            var rows = await db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId below
                .Where(b => b.TenantId == tenantId && b.Id == bookingId && b.Status == BookingStatus.Confirmed)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.StartUtc, startUtc).SetProperty(b => b.EndUtc, endUtc).SetProperty(b => b.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
            if (rows == 1)
            {
                await PublishBookingAsync(tenantId, bookingId, Webhooks.WebhookEventTypes.BookingRescheduled, cancellationToken);
            }

            return rows == 1;
        }
        catch (PostgresException ex) when (ex.ConstraintName == OverlapConstraint)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// After the message is stored, the business is notified (<see cref="PlatformNotifier.CallerMessageAsync"/>, same
    /// body as stored). The message is the record: a notification that cannot be written is logged (without the
    /// message text) and does not undo it, so the caller is never told their message was lost.
    /// </remarks>
    public async Task<Guid> SaveMessageAsync(NewCallerMessage message, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entity = new CallerMessage
        {
            TenantId = message.TenantId,
            ConversationId = message.ConversationId,
            CallerName = message.CallerName,
            CallerPhone = message.CallerPhone,
            Body = message.Body.Length > 2000 ? message.Body[..2000] : message.Body,
        };
        db.CallerMessages.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        await webhooks.PublishAsync(entity.TenantId, Webhooks.WebhookEventTypes.MessageTaken, Webhooks.WebhookData.Message(entity), cancellationToken);
        try
        {
            var sent = await notifier.CallerMessageAsync(entity.TenantId, entity.CallerName, entity.CallerPhone, entity.Body, cancellationToken);
            logger.LogInformation("Caller message {MessageId} for tenant {TenantId}: {Notifications} notification(s) queued", entity.Id, entity.TenantId, sent);
        }
        catch (Exception ex) when (ex is ArgumentException or DbUpdateException or NpgsqlException)
        {
            logger.LogError(ex, "Caller message {MessageId} for tenant {TenantId} is stored but its notification failed", entity.Id, entity.TenantId);
        }

        return entity.Id;
    }

    /// <summary>Tells the business about a booking (Settings → Notifications); like a message's notification, a failure
    /// is logged and never undoes the booking.</summary>
    private async Task NotifyBookingAsync(Guid tenantId, Guid bookingId, NotificationEvent notificationEvent, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var booking = await db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId below
                .Where(b => b.TenantId == tenantId && b.Id == bookingId)
                .Select(b => new { b.StartUtc, b.CustomerName, Service = b.Service!.Name }).FirstAsync(cancellationToken);
            var zoneId = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId).Select(t => t.TimeZoneId).FirstAsync(cancellationToken);
            var local = TimeZoneInfo.ConvertTime(booking.StartUtc, TimeZoneInfo.FindSystemTimeZoneById(zoneId));
            var summary = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{booking.Service} for {booking.CustomerName} on {local:ddd d MMM HH:mm}");
            await notifier.BookingAsync(tenantId, notificationEvent, summary, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or DbUpdateException or NpgsqlException or TimeZoneNotFoundException)
        {
            logger.LogError(ex, "Booking {BookingId} of tenant {TenantId}: its {Event} notification failed", bookingId, tenantId, notificationEvent);
        }
    }

    private static bool IsOverlap(DbUpdateException ex) =>
        ex.InnerException is PostgresException { ConstraintName: OverlapConstraint };

    /// <summary>True when <paramref name="ex"/> or an exception inside it is PostgreSQL's deadlock error (SQLSTATE 40P01), however EF Core wrapped it.</summary>
    private static bool IsDeadlock(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inserts the booking in a context of its own (a failed attempt leaves nothing tracked); null when it overlaps a confirmed one.</summary>
    private async Task<Guid?> InsertAsync(NewBooking booking, Guid? customerId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entity = new Booking
        {
            TenantId = booking.TenantId,
            ServiceId = booking.ServiceId,
            ConversationId = booking.ConversationId,
            CustomerId = customerId,
            StartUtc = booking.StartUtc,
            EndUtc = booking.EndUtc,
            CustomerName = booking.CustomerName,
            CustomerPhone = booking.CustomerPhone,
            PriceCents = booking.PriceCents,
            Notes = booking.Notes,
        };
        db.Bookings.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return entity.Id;
        }
        catch (DbUpdateException ex) when (IsOverlap(ex))
        {
            return null;
        }
    }

    private async Task PublishBookingAsync(Guid tenantId, Guid bookingId, string eventType, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().Include(b => b.Service) // scoped by the explicit tenantId
            .FirstOrDefaultAsync(b => b.TenantId == tenantId && b.Id == bookingId, cancellationToken);
        if (booking is not null)
        {
            await webhooks.PublishAsync(tenantId, eventType, Webhooks.WebhookData.Booking(booking), cancellationToken);
        }
    }
}
