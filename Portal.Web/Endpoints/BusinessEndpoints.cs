using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Tenancy;
using Portal.Web.Api;

namespace Portal.Web.Endpoints;

/// <summary>A bookable service: length in minutes, price in cents (null when not quoted).</summary>
public sealed record ServiceDto(Guid Id, string Name, int DurationMinutes, long? PriceCents, string? Description, bool IsActive);

/// <summary>One opening interval: weekday (Monday…Sunday) and business-local <c>HH:mm</c> times.</summary>
public sealed record HoursIntervalDto(string DayOfWeek, string Opens, string Closes);

/// <summary>A date the business is closed (business-local <c>yyyy-MM-dd</c>) and why.</summary>
public sealed record ClosedDateDto(Guid Id, string Date, string? Reason);

/// <summary>Body of <c>POST /api/v1/closed-dates</c>.</summary>
/// <param name="Date"><c>yyyy-MM-dd</c>, today or later.</param>
/// <param name="Reason">Optional, up to 120 characters; said to callers.</param>
public sealed record AddClosedDateRequest(string? Date, string? Reason);

/// <summary>
/// The business's services, weekly hours and closed dates: what the agent books by. Changes take effect on the next
/// turn (the agent's profile cache is refreshed).
/// </summary>
public static class BusinessEndpoints
{
    /// <summary>Maximum length of a closed date's reason.</summary>
    public const int ReasonMaxLength = 120;

    /// <summary>Maps <c>/api/v1/services</c>, <c>/api/v1/hours</c> and <c>/api/v1/closed-dates</c>.</summary>
    public static IEndpointRouteBuilder MapBusinessEndpoints(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/api/v1/services").WithTags("Services").RequireAuthorization(Policies.BusinessUser);
        services.MapGet("", ListServicesAsync).WithSummary("List services").WithDescription("Active and inactive services, by name. Only active services are bookable.");
        services.MapGet("/{id:guid}", GetServiceAsync).WithSummary("Get a service");

        var hours = app.MapGroup("/api/v1/hours").WithTags("Hours").RequireAuthorization(Policies.BusinessUser);
        hours.MapGet("", GetHoursAsync).WithSummary("Get the weekly opening hours").WithDescription("Every opening interval in business-local time; a day without intervals is closed.");
        hours.MapPut("", PutHoursAsync).WithSummary("Replace the weekly opening hours")
            .WithDescription("Replaces every interval. Times are `HH:mm`; an interval closes after it opens; intervals of one day must not overlap.");

        var closed = app.MapGroup("/api/v1/closed-dates").WithTags("Hours").RequireAuthorization(Policies.BusinessUser);
        closed.MapGet("", ListClosedAsync).WithSummary("List closed dates").WithDescription("Today and later, soonest first.");
        closed.MapPost("", AddClosedAsync).WithIdempotency().WithSummary("Add a closed date").ProducesProblem(StatusCodes.Status409Conflict);
        closed.MapDelete("/{id:guid}", DeleteClosedAsync).WithSummary("Remove a closed date");
        return app;
    }

    private static async Task<Ok<List<ServiceDto>>> ListServicesAsync(PortalDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Services.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new ServiceDto(s.Id, s.Name, s.DurationMinutes, s.PriceCents, s.Description, s.IsActive)).ToListAsync(ct));

    private static async Task<Results<Ok<ServiceDto>, NotFound>> GetServiceAsync(Guid id, PortalDbContext db, CancellationToken ct)
    {
        var s = await db.Services.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return s is null ? TypedResults.NotFound() : TypedResults.Ok(new ServiceDto(s.Id, s.Name, s.DurationMinutes, s.PriceCents, s.Description, s.IsActive));
    }

    private static async Task<Ok<List<HoursIntervalDto>>> GetHoursAsync(PortalDbContext db, CancellationToken ct) =>
        TypedResults.Ok(ToDtos(await db.BusinessHours.AsNoTracking().ToListAsync(ct)));

    private static async Task<Results<Ok<List<HoursIntervalDto>>, ValidationProblem>> PutHoursAsync(List<HoursIntervalDto>? intervals, PortalDbContext db, ITenantContext tenant, BusinessProfileCache profiles, CancellationToken ct)
    {
        var parsed = new List<BusinessHours>();
        var errors = new Dictionary<string, string[]>();
        foreach (var (item, i) in (intervals ?? []).Select((x, i) => (x, i)))
        {
            if (!Enum.TryParse<DayOfWeek>(item.DayOfWeek, true, out var day) || !Enum.IsDefined(day) || int.TryParse(item.DayOfWeek, out _))
            {
                errors[$"[{i}].dayOfWeek"] = ["dayOfWeek must be Monday … Sunday."];
                continue;
            }

            if (!TimeOnly.TryParseExact(item.Opens ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                || !TimeOnly.TryParseExact(item.Closes ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes) || closes <= opens)
            {
                errors[$"[{i}]"] = ["opens and closes are HH:mm times and closes is after opens."];
                continue;
            }

            parsed.Add(new BusinessHours { TenantId = tenant.TenantId!.Value, DayOfWeek = day, Opens = opens, Closes = closes });
        }

        foreach (var day in parsed.GroupBy(p => p.DayOfWeek))
        {
            var sorted = day.OrderBy(p => p.Opens).ToList();
            if (sorted.Zip(sorted.Skip(1)).Any(pair => pair.Second.Opens < pair.First.Closes))
            {
                errors[day.Key.ToString()] = [$"{day.Key}'s intervals overlap."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.BusinessHours.ExecuteDeleteAsync(ct);
        db.BusinessHours.AddRange(parsed);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        profiles.Invalidate(tenant.TenantId!.Value);
        return TypedResults.Ok(ToDtos(parsed));
    }

    private static async Task<Ok<List<ClosedDateDto>>> ListClosedAsync(PortalDbContext db, BusinessProfileCache profiles, ITenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var profile = await profiles.GetAsync(tenant.TenantId!.Value, ct);
        var today = DateOnly.FromDateTime(profile.ToLocal(clock.GetUtcNow()));
        var rows = await db.ClosedDates.AsNoTracking().Where(c => c.Date >= today).OrderBy(c => c.Date).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToDto).ToList());
    }

    private static async Task<Results<Created<ClosedDateDto>, ValidationProblem, ProblemHttpResult>> AddClosedAsync(AddClosedDateRequest? request, PortalDbContext db, BusinessProfileCache profiles, ITenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var tenantId = tenant.TenantId!.Value;
        var profile = await profiles.GetAsync(tenantId, ct);
        var today = DateOnly.FromDateTime(profile.ToLocal(clock.GetUtcNow()));
        if (!DateOnly.TryParseExact(request?.Date ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date < today)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["date must be yyyy-MM-dd, today or later."] });
        }

        var reason = string.IsNullOrWhiteSpace(request!.Reason) ? null : request.Reason.Trim();
        if (reason is { Length: > ReasonMaxLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"reason can be up to {ReasonMaxLength} characters."] });
        }

        if (await db.ClosedDates.AnyAsync(c => c.Date == date, ct))
        {
            return TypedResults.Problem($"{date:yyyy-MM-dd} is already a closed date.", statusCode: StatusCodes.Status409Conflict);
        }

        var entity = new ClosedDate { TenantId = tenantId, Date = date, Reason = reason };
        db.ClosedDates.Add(entity);
        await db.SaveChangesAsync(ct);
        profiles.Invalidate(tenantId);
        return TypedResults.Created($"/api/v1/closed-dates/{entity.Id}", ToDto(entity));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteClosedAsync(Guid id, PortalDbContext db, BusinessProfileCache profiles, ITenantContext tenant, CancellationToken ct)
    {
        if (await db.ClosedDates.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return TypedResults.NotFound();
        }

        profiles.Invalidate(tenant.TenantId!.Value);
        return TypedResults.NoContent();
    }

    private static List<HoursIntervalDto> ToDtos(IEnumerable<BusinessHours> rows) =>
        rows.OrderBy(h => ((int)h.DayOfWeek + 6) % 7).ThenBy(h => h.Opens)
            .Select(h => new HoursIntervalDto(h.DayOfWeek.ToString(), h.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), h.Closes.ToString("HH:mm", CultureInfo.InvariantCulture))).ToList();

    private static ClosedDateDto ToDto(ClosedDate c) => new(c.Id, c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Reason);
}
