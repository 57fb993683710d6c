using Microsoft.AspNetCore.Identity;

namespace Portal.Data.Identity;

/// <summary>A person who signs in: business owner or staff (with a tenant), agency owner or platform admin.</summary>
public sealed class PortalUser : IdentityUser<Guid>
{
    /// <summary>The business the user belongs to; null for platform admins and for a new owner before onboarding step 1.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Name shown in the portal.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>When the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Role names (ASP.NET Core Identity roles).</summary>
public static class Roles
{
    /// <summary>Runs the platform: number pool, tenants, jobs.</summary>
    public const string PlatformAdmin = "PlatformAdmin";

    /// <summary>Resells Portal under its own brand.</summary>
    public const string AgencyOwner = "AgencyOwner";

    /// <summary>Works for a reseller agency: its clients, their usage and API keys, not its brand or prices.</summary>
    public const string AgencyStaff = "AgencyStaff";

    /// <summary>Owns one business (tenant).</summary>
    public const string BusinessOwner = "BusinessOwner";

    /// <summary>Works for one business.</summary>
    public const string BusinessStaff = "BusinessStaff";

    /// <summary>All roles, for seeding.</summary>
    public static readonly IReadOnlyList<string> All = [PlatformAdmin, AgencyOwner, AgencyStaff, BusinessOwner, BusinessStaff];
}
