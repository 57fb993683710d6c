using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.BusinessSettings;
using Portal.Domain.Conversations;
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
    public const int ReasonMaxLength = BusinessSettingsService.ReasonMaxLength;

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

    private static async Task<Ok<List<ServiceDto>>> ListServicesAsync(ServiceCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Name, StringComparer.Ordinal).Select(ToDto).ToList());

    private static async Task<Results<Ok<ServiceDto>, NotFound>> GetServiceAsync(Guid id, ServiceCatalog catalog, CancellationToken ct) =>
        await catalog.FindAsync(id, ct) is { } service ? TypedResults.Ok(ToDto(service)) : TypedResults.NotFound();

    private static async Task<Ok<List<HoursIntervalDto>>> GetHoursAsync(BusinessSettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(ToDtos(await settings.GetHoursAsync(ct)));

    private static async Task<Results<Ok<List<HoursIntervalDto>>, ValidationProblem>> PutHoursAsync(List<HoursIntervalDto>? intervals, BusinessSettingsService settings, CancellationToken ct)
    {
        var parsed = new List<OpeningHours>();
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

            parsed.Add(new OpeningHours(day, opens, closes));
        }

        foreach (var day in parsed.GroupBy(p => p.Day))
        {
            if (BusinessSettingsService.HoursProblem(day) is not null)
            {
                errors[day.Key.ToString()] = [$"{day.Key}'s intervals overlap."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The service replaces the rows in one unit of work, bumps the facts version and refreshes the agent's profile.
        await settings.ReplaceHoursAsync(parsed, ct);
        return TypedResults.Ok(ToDtos(parsed));
    }

    private static async Task<Ok<List<ClosedDateDto>>> ListClosedAsync(BusinessSettingsService settings, BusinessProfileCache profiles, ITenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var profile = await profiles.GetAsync(tenant.TenantId!.Value, ct);
        var today = DateOnly.FromDateTime(profile.ToLocal(clock.GetUtcNow()));
        var rows = await settings.ListClosedDatesAsync(today, ct);
        return TypedResults.Ok(rows.Select(ToDto).ToList());
    }

    private static async Task<Results<Created<ClosedDateDto>, ValidationProblem, ProblemHttpResult>> AddClosedAsync(AddClosedDateRequest? request, BusinessSettingsService settings, BusinessProfileCache profiles, ITenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var profile = await profiles.GetAsync(tenant.TenantId!.Value, ct);
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

        var added = await settings.AddClosedDateAsync(date, reason, ct);
        return added is null
            ? TypedResults.Problem($"{date:yyyy-MM-dd} is already a closed date.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Created($"/api/v1/closed-dates/{added.Id}", ToDto(added));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteClosedAsync(Guid id, BusinessSettingsService settings, CancellationToken ct) =>
        await settings.RemoveClosedDateAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static List<HoursIntervalDto> ToDtos(IEnumerable<OpeningHours> rows) =>
        rows.OrderBy(h => ((int)h.Day + 6) % 7).ThenBy(h => h.Opens)
            .Select(h => new HoursIntervalDto(h.Day.ToString(), h.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), h.Closes.ToString("HH:mm", CultureInfo.InvariantCulture))).ToList();

    private static ServiceDto ToDto(Service s) => new(s.Id, s.Name, s.DurationMinutes, s.PriceCents, s.Description, s.IsActive);

    private static ClosedDateDto ToDto(ClosedDate c) => new(c.Id, c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Reason);
}
