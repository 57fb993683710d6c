using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;

namespace Portal.Web.Endpoints;

/// <summary>A booking as the API returns it.</summary>
public sealed record BookingDto(Guid Id, Guid ServiceId, string Service, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string CustomerName, string CustomerPhone, string Status, long? PriceCents, Guid? ConversationId);

/// <summary>Read access to the tenant's bookings.</summary>
public static class BookingEndpoints
{
    /// <summary>Maps the <c>/api/v1/bookings</c> group.</summary>
    public static IEndpointRouteBuilder MapBookingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bookings").WithTags("Bookings").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        return app;
    }

    private static async Task<Ok<List<BookingDto>>> ListAsync(PortalDbContext db, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = db.Bookings.AsNoTracking().Include(b => b.Service).AsQueryable();
        if (from is { } f)
        {
            query = query.Where(b => b.EndUtc > f);
        }

        if (to is { } t)
        {
            query = query.Where(b => b.StartUtc < t);
        }

        var rows = await query.OrderBy(b => b.StartUtc).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToDto).ToList());
    }

    private static async Task<Results<Ok<BookingDto>, NotFound>> GetAsync(Guid id, PortalDbContext db, CancellationToken ct)
    {
        var booking = await db.Bookings.AsNoTracking().Include(b => b.Service).FirstOrDefaultAsync(b => b.Id == id, ct);
        return booking is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(booking));
    }

    private static BookingDto ToDto(Portal.Domain.Entities.Booking b) =>
        new(b.Id, b.ServiceId, b.Service?.Name ?? "", b.StartUtc, b.EndUtc, b.CustomerName, b.CustomerPhone, b.Status.ToString(), b.PriceCents, b.ConversationId);
}
