using Portal.Domain.Knowledge;
using Portal.Domain.Scheduling;
using Portal.Rag.Lexical;

namespace Portal.Benchmarks;

/// <summary>
/// <see cref="IBookingStore"/> in memory (one lock, a list), so the engine benchmark measures the
/// engine and not PostgreSQL. Overlap is refused like the exclusion constraint does.
/// </summary>
public sealed class InMemoryBookingStore : IBookingStore
{
    private readonly Lock _gate = new();
    private readonly List<(Guid Id, NewBooking Booking, bool Cancelled)> _bookings = [];
    private readonly List<NewCallerMessage> _messages = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<BusyInterval>> GetBusyAsync(Guid tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<BusyInterval> busy = _bookings
                .Where(b => !b.Cancelled && b.Booking.TenantId == tenantId && b.Id != excludeBookingId && b.Booking.StartUtc < toUtc && fromUtc < b.Booking.EndUtc)
                .Select(b => new BusyInterval(b.Booking.StartUtc, b.Booking.EndUtc))
                .ToList();
            return Task.FromResult(busy);
        }
    }

    /// <inheritdoc />
    public Task<Guid?> CreateAsync(NewBooking booking, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_bookings.Any(b => !b.Cancelled && b.Booking.TenantId == booking.TenantId && b.Booking.StartUtc < booking.EndUtc && booking.StartUtc < b.Booking.EndUtc))
            {
                return Task.FromResult<Guid?>(null);
            }

            var id = Guid.NewGuid();
            _bookings.Add((id, booking, false));
            return Task.FromResult<Guid?>(id);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BookingSummary>> FindUpcomingAsync(Guid tenantId, string? phone, string? name, DateTimeOffset fromUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<BookingSummary> found = _bookings
                .Where(b => !b.Cancelled && b.Booking.TenantId == tenantId && b.Booking.StartUtc >= fromUtc
                    && (b.Booking.CustomerPhone == phone || string.Equals(b.Booking.CustomerName, name, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(b => b.Booking.StartUtc)
                .Select(b => new BookingSummary(b.Id, b.Booking.ServiceId, "appointment", b.Booking.StartUtc, b.Booking.EndUtc, b.Booking.CustomerName, b.Booking.CustomerPhone))
                .ToList();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<bool> CancelAsync(Guid tenantId, Guid bookingId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _bookings.FindIndex(b => b.Id == bookingId && b.Booking.TenantId == tenantId && !b.Cancelled);
            if (i >= 0)
            {
                _bookings[i] = _bookings[i] with { Cancelled = true };
            }

            return Task.FromResult(i >= 0);
        }
    }

    /// <inheritdoc />
    public Task<bool> RescheduleAsync(Guid tenantId, Guid bookingId, DateTimeOffset startUtc, DateTimeOffset endUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _bookings.FindIndex(b => b.Id == bookingId && b.Booking.TenantId == tenantId && !b.Cancelled);
            if (i < 0 || _bookings.Any(b => b.Id != bookingId && !b.Cancelled && b.Booking.TenantId == tenantId && b.Booking.StartUtc < endUtc && startUtc < b.Booking.EndUtc))
            {
                return Task.FromResult(false);
            }

            _bookings[i] = _bookings[i] with { Booking = _bookings[i].Booking with { StartUtc = startUtc, EndUtc = endUtc } };
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
}

/// <summary>
/// <see cref="IKnowledgeBase"/> over one prebuilt <see cref="Bm25Index"/>: lexical retrieval without a database, the
/// reference the benchmarks compare the product's <c>PostgresKnowledgeBase</c> with.
/// </summary>
/// <param name="index">The tenant's index.</param>
public sealed class Bm25KnowledgeBase(Bm25Index index) : IKnowledgeBase
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<KnowledgeHit> hits = index.Search(query, limit)
            .Select(r => new KnowledgeHit(r.Passage.ItemId, r.Passage.Title, r.Passage.Text, r.Coverage, r.Passage.IsFaq))
            .ToList();
        return ValueTask.FromResult(hits);
    }

    /// <inheritdoc />
    public void Invalidate(Guid tenantId)
    {
    }
}
