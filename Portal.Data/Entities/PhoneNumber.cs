using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// A number in the platform's pool (the platform buys numbers and gives each business one). Not tenant-owned while available, so it opts out of
/// the tenant filter (<see cref="IGlobalEntity"/>); tenant-facing code reads numbers only through
/// <c>Portal.Domain.Numbers.NumberPool</c>, which scopes by <see cref="TenantId"/>. Optimistic concurrency
/// (PostgreSQL <c>xmin</c>) plus a unique E.164 index keep two tenants from holding one number.
/// </summary>
public sealed class PhoneNumber : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The number in E.164 ("+12125550142").</summary>
    public string E164 { get; set; } = "";

    /// <summary>Area code (NANP), for filtering.</summary>
    public string AreaCode { get; set; } = "";

    /// <summary>Region / state code ("NY").</summary>
    public string Region { get; set; } = "";

    /// <summary>City.</summary>
    public string Locality { get; set; } = "";

    /// <summary>Pool status.</summary>
    public PhoneNumberStatus Status { get; set; }

    /// <summary>"sandbox" or "twilio".</summary>
    public string Provider { get; set; } = "sandbox";

    /// <summary>Provider's id (Twilio PN… SID).</summary>
    public string? ProviderSid { get; set; }

    /// <summary>Tenant holding it (reserved or assigned), else null.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Agent it is assigned to.</summary>
    public Guid? AgentPersonaId { get; set; }

    /// <summary>When a reservation lapses (UTC).</summary>
    public DateTimeOffset? ReservedUntil { get; set; }

    /// <summary>When it was assigned (UTC).</summary>
    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>Monthly cost to the platform, in cents.</summary>
    public long MonthlyCostCents { get; set; } = 115;

    /// <summary>Concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
