using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Domain.Scheduling;
using Portal.Web.Api;

namespace Portal.Web.Endpoints;

/// <summary>A booking as the API returns it: UTC start and end, status (Confirmed, Cancelled), price in cents.</summary>
public sealed record BookingDto(Guid Id, Guid ServiceId, string Service, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string CustomerName, string CustomerPhone, string Status, long? PriceCents, Guid? ConversationId);

/// <summary>Body of <c>POST /api/v1/bookings</c>.</summary>
/// <param name="ServiceId">A service of the business (<c>GET /api/v1/services</c>).</param>
/// <param name="Start">Business-local start, <c>yyyy-MM-ddTHH:mm</c> (the business's time zone).</param>
/// <param name="CustomerName">1-100 characters.</param>
/// <param name="CustomerPhone">E.164 (+12125550123) or a US number.</param>
/// <param name="Notes">Optional, up to 1000 characters.</param>
public sealed record CreateBookingRequest(Guid ServiceId, string? Start, string? CustomerName, string? CustomerPhone, string? Notes);

/// <summary>Body of <c>POST /api/v1/bookings/{id}/reschedule</c>.</summary>
/// <param name="Start">New business-local start, <c>yyyy-MM-ddTHH:mm</c>.</param>
public sealed record RescheduleBookingRequest(string? Start);

/// <summary>
/// The business's bookings: list, read, and book, reschedule or cancel through <see cref="BookingCommands"/> (the
/// receptionist's availability rules and store). A refused slot is a 409 problem with <c>alternatives</c>, the nearest
/// free local starts.
/// </summary>
public static class BookingEndpoints
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>Maps the <c>/api/v1/bookings</c> group.</summary>
    public static IEndpointRouteBuilder MapBookingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bookings").WithTags("Bookings").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("", ListAsync).WithSummary("List bookings")
            .WithDescription("Soonest first. Filters: `from` and `to` (UTC; bookings overlapping the range) and `status` (confirmed, cancelled). Paged with `limit` and `cursor`.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a booking");
        group.MapPost("", CreateAsync).WithIdempotency().WithSummary("Create a booking")
            .WithDescription("Books a service at a business-local time with the agent's rules (opening hours, closed dates, minimum notice, existing bookings). A slot that is not free answers 409 with `alternatives`.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/reschedule", RescheduleAsync).WithIdempotency().WithSummary("Reschedule a booking")
            .WithDescription("Moves a confirmed booking to a new business-local start with the same rules; 409 with `alternatives` when the slot is not free.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithIdempotency().WithSummary("Cancel a booking")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<ApiPage<BookingDto>>, ValidationProblem>> ListAsync(BookingCalendar calendar, DateTimeOffset? from, DateTimeOffset? to, string? status, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = ApiCursor.Validate(limit, cursor, out var take, out var after) ?? [];
        BookingStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<BookingStatus>(status, true, out var s) && Enum.IsDefined(s))
            {
                wanted = s;
            }
            else
            {
                errors["status"] = ["status must be confirmed or cancelled."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await calendar.ListAfterAsync(from, to, wanted, take + 1, after, ct);
        return TypedResults.Ok(ApiCursor.Page(rows, take, b => b.StartUtc, b => b.Id, ToDto));
    }

    private static async Task<Results<Ok<BookingDto>, NotFound>> GetAsync(Guid id, BookingCalendar calendar, CancellationToken ct)
    {
        var booking = await calendar.FindAsync(id, ct);
        return booking is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(booking));
    }

    private static async Task<Results<Created<BookingDto>, ValidationProblem, NotFound, ProblemHttpResult>> CreateAsync(CreateBookingRequest? request, BookingCommands bookings, BookingCalendar calendar, CancellationToken ct)
    {
        if (request is null || request.ServiceId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["serviceId"] = ["serviceId is required."] });
        }

        if (!TryParseLocal(request.Start, out var localStart))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["start"] = ["start must be a business-local time like 2026-12-24T14:30."] });
        }

        BookingCommandResult result;
        try
        {
            result = await bookings.CreateAsync(request.ServiceId, localStart, request.CustomerName ?? "", request.CustomerPhone ?? "", request.Notes, ct);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName ?? "body"] = [ex.Message.Split(" (Parameter")[0]] });
        }

        return result.Status switch
        {
            BookingCommandStatus.Done => TypedResults.Created($"/api/v1/bookings/{result.BookingId}", await LoadAsync(calendar, result.BookingId!.Value, ct)),
            BookingCommandStatus.NotFound => TypedResults.NotFound(),
            _ => SlotProblem(result),
        };
    }

    private static async Task<Results<Ok<BookingDto>, ValidationProblem, NotFound, ProblemHttpResult>> RescheduleAsync(Guid id, RescheduleBookingRequest? request, BookingCommands bookings, BookingCalendar calendar, CancellationToken ct)
    {
        if (!TryParseLocal(request?.Start, out var localStart))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["start"] = ["start must be a business-local time like 2026-12-24T14:30."] });
        }

        var result = await bookings.RescheduleAsync(id, localStart, ct);
        return result.Status switch
        {
            BookingCommandStatus.Done => TypedResults.Ok(await LoadAsync(calendar, id, ct)),
            BookingCommandStatus.NotFound => TypedResults.NotFound(),
            _ => SlotProblem(result),
        };
    }

    private static async Task<Results<Ok<BookingDto>, NotFound, ProblemHttpResult>> CancelAsync(Guid id, BookingCommands bookings, BookingCalendar calendar, CancellationToken ct)
    {
        var result = await bookings.CancelAsync(id, ct);
        return result.Status switch
        {
            BookingCommandStatus.Done => TypedResults.Ok(await LoadAsync(calendar, id, ct)),
            BookingCommandStatus.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static ProblemHttpResult SlotProblem(BookingCommandResult result) => TypedResults.Problem(
        result.Message,
        statusCode: StatusCodes.Status409Conflict,
        title: result.Status == BookingCommandStatus.NotActive ? "Booking not active" : "Slot not free",
        extensions: new Dictionary<string, object?>
        {
            ["reason"] = result.SlotStatus?.ToString(),
            ["alternatives"] = result.Alternatives.Select(a => a.ToString(LocalFormat, CultureInfo.InvariantCulture)).ToList(),
        });

    private static bool TryParseLocal(string? text, out DateTime local) =>
        DateTime.TryParseExact((text ?? "").Trim(), [LocalFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    private static async Task<BookingDto> LoadAsync(BookingCalendar calendar, Guid id, CancellationToken ct) =>
        ToDto(await calendar.FindAsync(id, ct) ?? throw new InvalidOperationException($"Booking {id} was just written but cannot be read."));

    private static BookingDto ToDto(Booking b) =>
        new(b.Id, b.ServiceId, b.Service?.Name ?? "", b.StartUtc, b.EndUtc, b.CustomerName, b.CustomerPhone, b.Status.ToString(), b.PriceCents, b.ConversationId);
}
