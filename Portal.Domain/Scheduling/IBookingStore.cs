namespace Portal.Domain.Scheduling;

/// <summary>A busy interval of the business calendar (UTC, half-open [Start, End)).</summary>
/// <param name="StartUtc">Start.</param>
/// <param name="EndUtc">End.</param>
public readonly record struct BusyInterval(DateTimeOffset StartUtc, DateTimeOffset EndUtc);

/// <summary>An existing booking as the engine reads it back to a caller.</summary>
/// <param name="Id">Booking id.</param>
/// <param name="ServiceId">Service id.</param>
/// <param name="ServiceName">Service name.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="EndUtc">End (UTC).</param>
/// <param name="CustomerName">Customer name.</param>
/// <param name="CustomerPhone">Customer phone (E.164).</param>
public sealed record BookingSummary(Guid Id, Guid ServiceId, string ServiceName, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string CustomerName, string CustomerPhone);

/// <summary>A booking to write.</summary>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="ServiceId">Service.</param>
/// <param name="ConversationId">Conversation that made it, if any.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="EndUtc">End (UTC).</param>
/// <param name="CustomerName">Customer name.</param>
/// <param name="CustomerPhone">Customer phone (E.164).</param>
/// <param name="PriceCents">Price at booking time, in cents.</param>
/// <param name="Notes">Free-text notes for the staff (the provider asked for, questions to answer), or null.</param>
public sealed record NewBooking(Guid TenantId, Guid ServiceId, Guid? ConversationId, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string CustomerName, string CustomerPhone, long? PriceCents, string? Notes = null);

/// <summary>A message a caller leaves.</summary>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="ConversationId">Conversation.</param>
/// <param name="CallerName">Name, if given.</param>
/// <param name="CallerPhone">Phone (E.164), if given.</param>
/// <param name="Body">The message.</param>
public sealed record NewCallerMessage(Guid TenantId, Guid? ConversationId, string? CallerName, string? CallerPhone, string Body);

/// <summary>
/// The calendar the conversation engine books against. The PostgreSQL implementation is the
/// source of truth (an exclusion constraint forbids overlapping confirmed bookings), so
/// <see cref="CreateAsync"/> can still answer "taken" after a check said "free" when another
/// conversation won the race.
/// </summary>
public interface IBookingStore
{
    /// <summary>Confirmed bookings overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), optionally ignoring one booking (the one being moved).</summary>
    Task<IReadOnlyList<BusyInterval>> GetBusyAsync(Guid tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, Guid? excludeBookingId, CancellationToken cancellationToken);

    /// <summary>Writes a confirmed booking; returns its id, or null when the slot was taken meanwhile.</summary>
    Task<Guid?> CreateAsync(NewBooking booking, CancellationToken cancellationToken);

    /// <summary>Upcoming confirmed bookings of a customer, matched by phone (E.164) or, failing that, by name (case-insensitive); soonest first.</summary>
    Task<IReadOnlyList<BookingSummary>> FindUpcomingAsync(Guid tenantId, string? phone, string? name, DateTimeOffset fromUtc, CancellationToken cancellationToken);

    /// <summary>Cancels a booking; false when it does not exist or is not confirmed.</summary>
    Task<bool> CancelAsync(Guid tenantId, Guid bookingId, CancellationToken cancellationToken);

    /// <summary>Moves a booking; false when the new slot was taken meanwhile or the booking is gone.</summary>
    Task<bool> RescheduleAsync(Guid tenantId, Guid bookingId, DateTimeOffset startUtc, DateTimeOffset endUtc, CancellationToken cancellationToken);

    /// <summary>Stores a message for the business.</summary>
    Task<Guid> SaveMessageAsync(NewCallerMessage message, CancellationToken cancellationToken);
}
