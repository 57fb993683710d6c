using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Scheduling;

/// <summary>What a booking command did.</summary>
public enum BookingCommandStatus
{
    /// <summary>Booked, moved or cancelled.</summary>
    Done,

    /// <summary>The business has no such booking or service.</summary>
    NotFound,

    /// <summary>The slot is not free (see <see cref="BookingCommandResult.SlotStatus"/> and the alternatives).</summary>
    SlotNotFree,

    /// <summary>The booking is already cancelled.</summary>
    NotActive,
}

/// <summary>The result of a <see cref="BookingCommands"/> call.</summary>
/// <param name="Status">What happened.</param>
/// <param name="BookingId">The booking, when <see cref="BookingCommandStatus.Done"/>.</param>
/// <param name="SlotStatus">Why the slot was refused, when <see cref="BookingCommandStatus.SlotNotFree"/>.</param>
/// <param name="Alternatives">Nearest free local starts when the slot was refused (up to 3).</param>
/// <param name="Message">A sentence for the client.</param>
public sealed record BookingCommandResult(BookingCommandStatus Status, Guid? BookingId, SlotStatus? SlotStatus, IReadOnlyList<DateTime> Alternatives, string Message);

/// <summary>
/// Book, reschedule and cancel for the current business with the receptionist's own rules: the same
/// <see cref="AvailabilityService"/> decides whether a slot is free (hours, closed dates, notice, existing bookings) and
/// the same <see cref="IBookingStore"/> writes it (the overlap constraint settles races), so the REST API can never book
/// what the agent would refuse.
/// </summary>
public sealed class BookingCommands(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    BusinessProfileCache profiles,
    AvailabilityService availability,
    IBookingStore store)
{
    /// <summary>Maximum length of a customer name.</summary>
    public const int CustomerNameMaxLength = 100;

    /// <summary>Maximum length of notes.</summary>
    public const int NotesMaxLength = 1000;

    /// <summary>Books <paramref name="serviceId"/> at <paramref name="localStart"/> (business-local time).</summary>
    /// <exception cref="ArgumentException">Empty or long name, bad phone, long notes; nothing is booked.</exception>
    public async Task<BookingCommandResult> CreateAsync(Guid serviceId, DateTime localStart, string customerName, string customerPhone, string? notes, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        var name = (customerName ?? "").Trim();
        if (name.Length is 0 or > CustomerNameMaxLength)
        {
            throw new ArgumentException($"The customer's name is required (1 to {CustomerNameMaxLength} characters).", nameof(customerName));
        }

        var phone = PhoneExtractor.TryExtract(customerPhone ?? "", "US")
            ?? throw new ArgumentException("The customer's phone must be a valid number, such as +12125550123.", nameof(customerPhone));
        notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        if (notes is { Length: > NotesMaxLength })
        {
            throw new ArgumentException($"Notes can be up to {NotesMaxLength} characters.", nameof(notes));
        }

        var profile = await profiles.GetAsync(tenantId, cancellationToken);
        if (profile.FindService(serviceId) is not { } service)
        {
            return new(BookingCommandStatus.NotFound, null, null, [], "No such service.");
        }

        var check = await availability.CheckAsync(profile, service.DurationMinutes, localStart, 3, null, cancellationToken);
        if (check.Status != SlotStatus.Free)
        {
            return new(BookingCommandStatus.SlotNotFree, null, check.Status, check.Alternatives, Explain(check.Status));
        }

        var startUtc = profile.ToUtc(localStart);
        var id = await store.CreateAsync(new NewBooking(tenantId, service.Id, null, startUtc, startUtc.AddMinutes(service.DurationMinutes), name, phone, service.PriceCents, notes), cancellationToken);
        return id is { } bookingId
            ? new(BookingCommandStatus.Done, bookingId, null, [], "Booked.")
            : new(BookingCommandStatus.SlotNotFree, null, SlotStatus.Taken, check.Alternatives, Explain(SlotStatus.Taken));
    }

    /// <summary>Moves a confirmed booking to <paramref name="localStart"/> (business-local), keeping its service and length.</summary>
    public async Task<BookingCommandResult> RescheduleAsync(Guid bookingId, DateTime localStart, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        var booking = await FindAsync(bookingId, cancellationToken);
        if (booking is null)
        {
            return new(BookingCommandStatus.NotFound, null, null, [], "No such booking.");
        }

        if (booking.Status != BookingStatus.Confirmed)
        {
            return new(BookingCommandStatus.NotActive, bookingId, null, [], "The booking is cancelled.");
        }

        var profile = await profiles.GetAsync(tenantId, cancellationToken);
        var duration = (int)(booking.EndUtc - booking.StartUtc).TotalMinutes;
        var check = await availability.CheckAsync(profile, duration, localStart, 3, bookingId, cancellationToken);
        if (check.Status != SlotStatus.Free)
        {
            return new(BookingCommandStatus.SlotNotFree, bookingId, check.Status, check.Alternatives, Explain(check.Status));
        }

        var startUtc = profile.ToUtc(localStart);
        return await store.RescheduleAsync(tenantId, bookingId, startUtc, startUtc.AddMinutes(duration), cancellationToken)
            ? new(BookingCommandStatus.Done, bookingId, null, [], "Rescheduled.")
            : new(BookingCommandStatus.SlotNotFree, bookingId, SlotStatus.Taken, check.Alternatives, Explain(SlotStatus.Taken));
    }

    /// <summary>Cancels a confirmed booking.</summary>
    public async Task<BookingCommandResult> CancelAsync(Guid bookingId, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        var booking = await FindAsync(bookingId, cancellationToken);
        if (booking is null)
        {
            return new(BookingCommandStatus.NotFound, null, null, [], "No such booking.");
        }

        return await store.CancelAsync(tenantId, bookingId, cancellationToken)
            ? new(BookingCommandStatus.Done, bookingId, null, [], "Cancelled.")
            : new(BookingCommandStatus.NotActive, bookingId, null, [], "The booking is already cancelled.");
    }

    /// <summary>A sentence for why a slot is not free.</summary>
    public static string Explain(SlotStatus status) => status switch
    {
        SlotStatus.Taken => "That time is already booked.",
        SlotStatus.ClosedDay => "The business is closed that day.",
        SlotStatus.OutsideHours => "The appointment would not fit inside opening hours.",
        SlotStatus.Past => "That time has passed.",
        SlotStatus.TooSoon => "That is sooner than the minimum notice.",
        SlotStatus.InvalidTime => "That local time does not exist (daylight saving change).",
        _ => "The slot is not free.",
    };

    private Guid RequireTenant() => tenantContext.TenantId ?? throw new InvalidOperationException("Bookings belong to a business; there is no current business.");

    private async Task<Booking?> FindAsync(Guid bookingId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Bookings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken);
    }
}
