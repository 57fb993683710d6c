namespace Portal.Data.Tenancy;

/// <summary>
/// The tenant whose data the current request, Blazor circuit or job may see. Every tenant-owned
/// query filter in <see cref="Portal.Data.PortalDbContext"/> reads <see cref="TenantId"/>; when it is null
/// (anonymous, or a platform admin not viewing a tenant) no tenant-owned row matches.
/// </summary>
public interface ITenantContext
{
    /// <summary>The current tenant's id, or null when there is none.</summary>
    Guid? TenantId { get; }

    /// <summary>Sets the current tenant (jobs, tests, a circuit once the user is known, the onboarding wizard after it creates the tenant).</summary>
    void SetTenant(Guid? tenantId);
}

/// <summary>Scoped, settable <see cref="ITenantContext"/>; the web layer fills it from the signed-in user.</summary>
public sealed class TenantContext : ITenantContext
{
    /// <inheritdoc />
    public Guid? TenantId { get; private set; }

    /// <inheritdoc />
    public void SetTenant(Guid? tenantId) => TenantId = tenantId;
}
