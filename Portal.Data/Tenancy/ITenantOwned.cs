namespace Portal.Data.Tenancy;

/// <summary>
/// A row that belongs to exactly one tenant. <see cref="Portal.Data.PortalDbContext"/> adds a global query
/// filter on <see cref="TenantId"/> to every entity that implements it, and the save interceptor
/// stamps <see cref="TenantId"/> from <see cref="ITenantContext"/> on insert when it is empty.
/// </summary>
public interface ITenantOwned
{
    /// <summary>The owning tenant.</summary>
    Guid TenantId { get; set; }
}

/// <summary>Marks an entity that is deliberately not tenant-owned (platform-wide rows such as the number pool).</summary>
public interface IGlobalEntity;

/// <summary>Created/updated timestamps, set by <see cref="Portal.Data.AuditInterceptor"/> (UTC).</summary>
public interface IAudited
{
    /// <summary>When the row was inserted (UTC).</summary>
    DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the row was last saved (UTC).</summary>
    DateTimeOffset UpdatedAt { get; set; }
}
