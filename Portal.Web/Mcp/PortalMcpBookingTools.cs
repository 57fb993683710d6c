using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Web.Mcp;

/// <summary>A booking as the MCP tools list it; times are business-local ("yyyy-MM-ddTHH:mm") in <paramref name="TimeZone"/>.</summary>
public sealed record McpBooking(Guid Id, string Service, string Start, string End, string TimeZone, string CustomerName, string CustomerPhone, string Status);

/// <summary>Free starts of <c>find_free_slots</c>, business-local ("yyyy-MM-ddTHH:mm").</summary>
public sealed record McpFreeSlots(string Service, int DurationMinutes, string TimeZone, IReadOnlyList<string> Starts);

/// <summary>The result of <c>create_booking</c>: <paramref name="Booked"/> with the booking, or why not and the nearest free starts.</summary>
public sealed record McpBookingResult(bool Booked, string Message, McpBooking? Booking, IReadOnlyList<string> Alternatives);

/// <summary>Calendar tools: bookings, free slots (the agent's <see cref="AvailabilityService"/>) and booking through the agent's store.</summary>
[McpServerToolType]
public static class PortalMcpBookingTools
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>Most bookings <c>list_bookings</c> returns.</summary>
    public const int MaxBookings = 200;

    /// <summary>Bookings between two local dates.</summary>
    [McpServerTool(Name = "list_bookings", ReadOnly = true), Description("Lists the business's bookings between two dates (business-local, inclusive), soonest first. Defaults: today and the next 14 days.")]
    public static Task<IReadOnlyList<McpBooking>> ListBookingsAsync(RequestContext<CallToolRequestParams> request,
        [Description("First date, yyyy-MM-dd (default today).")] string? from = null,
        [Description("Last date, yyyy-MM-dd (default 14 days after the first).")] string? to = null,
        [Description("Include cancelled bookings (default false).")] bool includeCancelled = false,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, grant) =>
        {
            var profile = await sp.GetRequiredService<BusinessProfileCache>().GetAsync(grant.TenantId, cancellationToken);
            var today = DateOnly.FromDateTime(profile.ToLocal(sp.GetRequiredService<TimeProvider>().GetUtcNow()));
            var first = ParseDate(from, "from") ?? today;
            var last = ParseDate(to, "to") ?? first.AddDays(14);
            var fromUtc = profile.ToUtc(first.ToDateTime(TimeOnly.MinValue));
            var toUtc = profile.ToUtc(last.AddDays(1).ToDateTime(TimeOnly.MinValue));
            var rows = await sp.GetRequiredService<BookingCalendar>().ListAfterAsync(fromUtc, toUtc, includeCancelled ? null : BookingStatus.Confirmed, MaxBookings, null, cancellationToken);
            return (IReadOnlyList<McpBooking>)rows.Select(b => ToMcp(profile, b.Id, b.Service?.Name ?? "", b.StartUtc, b.EndUtc, b.CustomerName, b.CustomerPhone, b.Status.ToString())).ToList();
        });

    /// <summary>Free starts for a service from a date on.</summary>
    [McpServerTool(Name = "find_free_slots", ReadOnly = true), Description("Finds free appointment starts for a service, with the same rules the receptionist books by (opening hours, closed days, minimum notice, existing bookings).")]
    public static Task<McpFreeSlots> FindFreeSlotsAsync(RequestContext<CallToolRequestParams> request,
        [Description("Service name (as on the business profile resource) or id.")] string service,
        [Description("First date to search, yyyy-MM-dd (default today).")] string? date = null,
        [Description("How many starts (1-20, default 5).")] int count = 5,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, grant) =>
        {
            var profile = await sp.GetRequiredService<BusinessProfileCache>().GetAsync(grant.TenantId, cancellationToken);
            var svc = FindService(profile, service);
            var today = DateOnly.FromDateTime(profile.ToLocal(sp.GetRequiredService<TimeProvider>().GetUtcNow()));
            var starts = await sp.GetRequiredService<AvailabilityService>().NextFreeStartsAsync(profile, svc.DurationMinutes, ParseDate(date, "date") ?? today, null, Math.Clamp(count, 1, 20), null, cancellationToken);
            return new McpFreeSlots(svc.Name, svc.DurationMinutes, profile.TimeZone.Id, starts.Select(Format).ToList());
        });

    /// <summary>Books a service, only with the user's explicit confirmation and only in a free slot.</summary>
    [McpServerTool(Name = "create_booking", Destructive = false, Idempotent = false), Description("Books an appointment. ALWAYS show the user the service, time, name and phone and ask them to confirm BEFORE calling this with confirmed=true; without confirmed=true nothing is booked. The slot is checked with the receptionist's rules; if it is not free, the nearest free starts are returned.")]
    public static Task<McpBookingResult> CreateBookingAsync(RequestContext<CallToolRequestParams> request,
        [Description("Service name or id.")] string service,
        [Description("Local start, yyyy-MM-ddTHH:mm, in the business's time zone.")] string start,
        [Description("Customer's name.")] string customerName,
        [Description("Customer's phone number (E.164 such as +12125550123, or a US number).")] string customerPhone,
        [Description("True only after the user confirmed these exact details.")] bool confirmed = false,
        [Description("Notes for the staff (optional).")] string? notes = null,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, grant) =>
        {
            if (!grant.AllowBooking)
            {
                throw new McpException("This token is read-only: the owner has not allowed it to create bookings.");
            }

            var profile = await sp.GetRequiredService<BusinessProfileCache>().GetAsync(grant.TenantId, cancellationToken);
            var svc = FindService(profile, service);
            if (!DateTime.TryParseExact(start, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var localStart))
            {
                throw new McpException("start must be a local time like 2026-12-24T14:30.");
            }

            var name = (customerName ?? "").Trim();
            var phone = PhoneExtractor.TryExtract(customerPhone ?? "", "US");
            if (name.Length is 0 or > 100 || phone is null)
            {
                throw new McpException("Give the customer's name (1-100 characters) and a valid phone number.");
            }

            var check = await sp.GetRequiredService<AvailabilityService>().CheckAsync(profile, svc.DurationMinutes, localStart, 3, null, cancellationToken);
            var alternatives = check.Alternatives.Select(Format).ToList();
            if (check.Status != SlotStatus.Free)
            {
                return new McpBookingResult(false, $"Not booked: {Explain(check.Status)}. Offer the user one of the alternatives.", null, alternatives);
            }

            var summary = $"{svc.Name} on {Format(localStart)} ({profile.TimeZone.Id}) for {name}, {phone}";
            if (!confirmed)
            {
                return new McpBookingResult(false, $"Not booked yet. The slot is free. Ask the user to confirm: {summary}. Then call create_booking again with confirmed=true.", null, []);
            }

            var startUtc = profile.ToUtc(localStart);
            var endUtc = startUtc.AddMinutes(svc.DurationMinutes);
            var id = await sp.GetRequiredService<IBookingStore>().CreateAsync(
                new NewBooking(grant.TenantId, svc.Id, null, startUtc, endUtc, name, phone, svc.PriceCents, string.IsNullOrWhiteSpace(notes) ? null : notes.Trim()), cancellationToken);
            return id is { } bookingId
                ? new McpBookingResult(true, $"Booked: {summary}.", ToMcp(profile, bookingId, svc.Name, startUtc, endUtc, name, phone, nameof(BookingStatus.Confirmed)), [])
                : new McpBookingResult(false, "Not booked: the slot was taken a moment ago. Offer the user another time.", null, alternatives);
        });

    private static ServiceInfo FindService(BusinessProfile profile, string service)
    {
        var s = (service ?? "").Trim();
        return (Guid.TryParse(s, out var id) ? profile.FindService(id) : null)
            ?? profile.Services.FirstOrDefault(x => string.Equals(x.Name, s, StringComparison.OrdinalIgnoreCase))
            ?? profile.Services.FirstOrDefault(x => s.Length > 2 && x.Name.Contains(s, StringComparison.OrdinalIgnoreCase))
            ?? throw new McpException($"Unknown service '{s}'. Services: {string.Join(", ", profile.Services.Select(x => x.Name))}.");
    }

    private static DateOnly? ParseDate(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new McpException($"{name} must be a date like 2026-12-24.");

    private static string Explain(SlotStatus status) => status switch
    {
        SlotStatus.Taken => "that time is already booked",
        SlotStatus.ClosedDay => "the business is closed that day",
        SlotStatus.OutsideHours => "the appointment would not fit inside opening hours",
        SlotStatus.Past => "that time has passed",
        SlotStatus.TooSoon => "that is sooner than the minimum notice",
        SlotStatus.InvalidTime => "that local time does not exist (daylight saving change)",
        _ => "the slot is not free",
    };

    private static string Format(DateTime local) => local.ToString(LocalFormat, CultureInfo.InvariantCulture);

    private static McpBooking ToMcp(BusinessProfile profile, Guid id, string service, DateTimeOffset startUtc, DateTimeOffset endUtc, string name, string phone, string status) =>
        new(id, service, Format(profile.ToLocal(startUtc)), Format(profile.ToLocal(endUtc)), profile.TimeZone.Id, name, phone, status);
}
