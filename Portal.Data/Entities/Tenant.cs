using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// A business that uses Portal. The tenant row is the root of isolation: its <see cref="Id"/> is the
/// <c>TenantId</c> of every row it owns, and it is itself filtered to the current tenant.
/// </summary>
public sealed class Tenant : IAudited
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int NameMaxLength = 120;

    /// <summary>Maximum length of <see cref="Address"/>.</summary>
    public const int AddressMaxLength = 300;

    /// <summary>Primary key, also the tenant id of everything the business owns.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Business name as callers know it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Vertical; chooses templates and vocabulary.</summary>
    public Industry Industry { get; set; }

    /// <summary>IANA time zone id (e.g. <c>America/New_York</c>); all local times are in it.</summary>
    public string TimeZoneId { get; set; } = "America/New_York";

    /// <summary>The business's own phone in E.164, or null.</summary>
    public string? Phone { get; set; }

    /// <summary>Street address as spoken to callers.</summary>
    public string Address { get; set; } = "";

    /// <summary>Lifecycle state.</summary>
    public TenantStatus Status { get; set; } = TenantStatus.Onboarding;

    /// <summary>Price plan (<see cref="PlanTerms"/>); new businesses start on pay-as-you-go.</summary>
    public Plan Plan { get; set; } = Plan.PayAsYouGo;

    /// <summary>The reseller agency whose client this business is (its brand, its prices), or null for a direct customer.</summary>
    public Guid? AgencyId { get; set; }

    /// <summary>Onboarding wizard step reached (0 = business, 1 = number, 2 = agent, 3 = knowledge, 4 = done).</summary>
    public int OnboardingStep { get; set; }

    /// <summary>Minimum notice for a booking, in minutes (a caller cannot book a slot starting sooner).</summary>
    public int MinimumNoticeMinutes { get; set; } = 60;

    /// <summary>Granularity of offered start times, in minutes.</summary>
    public int SlotIntervalMinutes { get; set; } = 30;

    /// <summary>Incremented whenever business facts change, so cached snapshots know they are stale.</summary>
    public int FactsVersion { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
