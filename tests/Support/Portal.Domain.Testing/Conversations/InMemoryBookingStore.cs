using Portal.Domain.Scheduling;

namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// An <see cref="IBookingStore"/> test double with the semantics of <c>EfBookingStore</c>: confirmed
/// bookings of one tenant never overlap (half-open intervals, like the <c>ex_bookings_no_overlap</c>
/// exclusion constraint), lookups go by phone then by name, and cancelled bookings free their slot.
/// </summary>
public sealed class InMemoryBookingStore(Func<Guid, string> serviceName) : IBookingStore
{
    private readonly object _gate = new();
    private readonly List<StoredBooking> _bookings = [];
    private readonly List<NewCallerMessage> _messages = [];

    /// <summary>A booking row as the database would hold it.</summary>
    public sealed record StoredBooking(Guid Id, NewBooking Booking, bool Cancelled)
    {
        /// <summary>Start (UTC).</summary>
        public DateTimeOffset StartUtc { get; init; } = Booking.StartUtc;

        /// <summary>End (UTC).</summary>
        public DateTimeOffset EndUtc { get; init; } = Booking.EndUtc;
    }

    /// <summary>Every booking ever written, cancelled ones included.</summary>
    public IReadOnlyList<StoredBooking> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _bookings];
            }
        }
    }

    /// <summary>Confirmed (not cancelled) bookings.</summary>
    public IReadOnlyList<StoredBooking> Confirmed => All.Where(b => !b.Cancelled).ToList();

    /// <summary>Messages left by callers.</summary>
    public IReadOnlyList<NewCallerMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BusyInterval>> GetBusyAsync(Guid tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<BusyInterval> busy = _bookings
                .Where(b => !b.Cancelled && b.Booking.TenantId == tenantId && b.StartUtc < toUtc && fromUtc < b.EndUtc && b.Id != excludeBookingId)
                .Select(b => new BusyInterval(b.StartUtc, b.EndUtc))
                .ToList();
            return Task.FromResult(busy);
        }
    }

    /// <inheritdoc />
    public Task<Guid?> CreateAsync(NewBooking booking, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Overlaps(booking.TenantId, booking.StartUtc, booking.EndUtc, exclude: null))
            {
                return Task.FromResult<Guid?>(null);
            }

            var id = Guid.NewGuid();
            _bookings.Add(new StoredBooking(id, booking, Cancelled: false));
            return Task.FromResult<Guid?>(id);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BookingSummary>> FindUpcomingAsync(Guid tenantId, string? phone, string? name, DateTimeOffset fromUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var upcoming = _bookings.Where(b => !b.Cancelled && b.Booking.TenantId == tenantId && b.StartUtc >= fromUtc).ToList();
            List<StoredBooking> found = [];
            if (phone is not null)
            {
                found = upcoming.Where(b => b.Booking.CustomerPhone == phone).ToList();
            }

            if (found.Count == 0 && !string.IsNullOrWhiteSpace(name))
            {
                found = upcoming.Where(b => string.Equals(b.Booking.CustomerName, name.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            }

            IReadOnlyList<BookingSummary> result = found
                .OrderBy(b => b.StartUtc)
                .Take(10)
                .Select(b => new BookingSummary(b.Id, b.Booking.ServiceId, serviceName(b.Booking.ServiceId), b.StartUtc, b.EndUtc, b.Booking.CustomerName, b.Booking.CustomerPhone))
                .ToList();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<bool> CancelAsync(Guid tenantId, Guid bookingId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _bookings.FindIndex(b => b.Id == bookingId && b.Booking.TenantId == tenantId && !b.Cancelled);
            if (i < 0)
            {
                return Task.FromResult(false);
            }

            _bookings[i] = _bookings[i] with { Cancelled = true };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> RescheduleAsync(Guid tenantId, Guid bookingId, DateTimeOffset startUtc, DateTimeOffset endUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _bookings.FindIndex(b => b.Id == bookingId && b.Booking.TenantId == tenantId && !b.Cancelled);
            if (i < 0 || Overlaps(tenantId, startUtc, endUtc, exclude: bookingId))
            {
                return Task.FromResult(false);
            }

            _bookings[i] = _bookings[i] with { StartUtc = startUtc, EndUtc = endUtc };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<Guid> SaveMessageAsync(NewCallerMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _messages.Add(message);
            return Task.FromResult(Guid.NewGuid());
        }
    }

    private bool Overlaps(Guid tenantId, DateTimeOffset startUtc, DateTimeOffset endUtc, Guid? exclude) =>
        _bookings.Any(b => !b.Cancelled && b.Booking.TenantId == tenantId && b.Id != exclude && b.StartUtc < endUtc && startUtc < b.EndUtc);
}
