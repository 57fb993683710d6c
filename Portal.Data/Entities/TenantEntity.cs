using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>Base of every tenant-owned entity: a <see cref="Guid"/> key, the owning tenant and audit timestamps.</summary>
public abstract class TenantEntity : ITenantOwned, IAudited
{
    /// <summary>Primary key (UUID v7, time ordered).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
