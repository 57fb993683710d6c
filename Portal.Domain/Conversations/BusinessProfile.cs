using Portal.Data.Entities;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations;

/// <summary>A bookable service as the engine sees it.</summary>
/// <param name="Id">Service id.</param>
/// <param name="Name">Display name.</param>
/// <param name="DurationMinutes">Appointment length, minutes.</param>
/// <param name="PriceCents">Price in cents, or null when not quoted.</param>
/// <param name="Description">Short description.</param>
/// <param name="Candidate">The matcher's view (name and keywords).</param>
public sealed record ServiceInfo(Guid Id, string Name, int DurationMinutes, long? PriceCents, string? Description, ServiceCandidate Candidate);

/// <summary>An opening interval, local time.</summary>
/// <param name="Opens">Local opening time.</param>
/// <param name="Closes">Local closing time.</param>
public sealed record OpeningInterval(TimeOnly Opens, TimeOnly Closes);

/// <summary>
/// Immutable snapshot of everything the engine knows about a business for one turn: facts, hours,
/// services and the persona. Built from the database and cached per tenant and
/// <see cref="Tenant.FactsVersion"/> by <see cref="BusinessProfileCache"/>.
/// </summary>
public sealed class BusinessProfile
{
    /// <summary>Tenant id.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>Business name.</summary>
    public required string Name { get; init; }

    /// <summary>Vertical.</summary>
    public required Industry Industry { get; init; }

    /// <summary>The business's time zone.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Street address.</summary>
    public required string Address { get; init; }

    /// <summary>Business phone (E.164) or null.</summary>
    public string? Phone { get; init; }

    /// <summary>Active services.</summary>
    public required IReadOnlyList<ServiceInfo> Services { get; init; }

    /// <summary>Opening intervals per weekday (index = (int)DayOfWeek), sorted by opening time.</summary>
    public required IReadOnlyList<OpeningInterval>[] Hours { get; init; }

    /// <summary>Closed local dates with reasons.</summary>
    public required IReadOnlyDictionary<DateOnly, string?> ClosedDates { get; init; }

    /// <summary>Minimum booking notice, minutes.</summary>
    public int MinimumNoticeMinutes { get; init; } = 60;

    /// <summary>Granularity of offered start times, minutes.</summary>
    public int SlotIntervalMinutes { get; init; } = 30;

    /// <summary>Agent name.</summary>
    public required string AgentName { get; init; }

    /// <summary>Agent personality.</summary>
    public Personality Personality { get; init; }

    /// <summary>The owner's custom instructions to the agent (free text), or null; the offline engine honours the kinds <see cref="Answers.OwnerInstructions"/> reads.</summary>
    public string? CustomInstructions { get; init; }

    /// <summary>Transfer number (E.164) or null.</summary>
    public string? TransferNumber { get; init; }

    /// <summary>Facts version the snapshot was built from.</summary>
    public int FactsVersion { get; init; }

    /// <summary>Matcher candidates for <see cref="Services"/>.</summary>
    public IReadOnlyList<ServiceCandidate> ServiceCandidates => _candidates ??= Services.Select(s => s.Candidate).ToArray();

    private IReadOnlyList<ServiceCandidate>? _candidates;

    /// <summary>Converts a UTC instant to business-local time.</summary>
    public DateTime ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTimeFromUtc(utc.UtcDateTime, TimeZone);

    /// <summary>Converts business-local time to UTC. Throws <see cref="ArgumentException"/> for a time skipped by a DST change.</summary>
    public DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(unspecified))
        {
            throw new ArgumentException("That local time does not exist (daylight saving change).", nameof(local));
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, TimeZone), TimeSpan.Zero);
    }

    /// <summary>The opening intervals of a local date (empty when closed that day).</summary>
    public IReadOnlyList<OpeningInterval> IntervalsOn(DateOnly date) =>
        ClosedDates.ContainsKey(date) ? [] : Hours[(int)date.DayOfWeek];

    /// <summary>Finds a service by id.</summary>
    public ServiceInfo? FindService(Guid id) => Services.FirstOrDefault(s => s.Id == id);
}
