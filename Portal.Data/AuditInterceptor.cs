using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data.Entities;
using Portal.Data.Tenancy;

namespace Portal.Data;

/// <summary>
/// Stamps <see cref="IAudited"/> timestamps from <see cref="TimeProvider"/> and fills an empty
/// <see cref="ITenantOwned.TenantId"/> from <see cref="ITenantContext"/> on insert. It refuses to
/// save a tenant-owned row that belongs to a tenant other than the current one (when there is one),
/// so a bug cannot write across tenants, and it refuses to change or delete an audit entry.
/// </summary>
public sealed class AuditInterceptor(TimeProvider timeProvider, ITenantContext tenantContext) : SaveChangesInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var current = tenantContext.TenantId;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry && entry.State is (EntityState.Modified or EntityState.Deleted))
            {
                throw new InvalidOperationException("The audit log is append-only: entries cannot be changed or deleted.");
            }

            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            if (entry.Entity is IAudited audited)
            {
                if (entry.State == EntityState.Added)
                {
                    audited.CreatedAt = now;
                }

                audited.UpdatedAt = now;
            }

            if (entry.Entity is ITenantOwned owned)
            {
                if (owned.TenantId == Guid.Empty)
                {
                    owned.TenantId = current ?? throw new InvalidOperationException(
                        $"Cannot save {entry.Metadata.ClrType.Name}: no current tenant.");
                }
                else if (current is { } tenant && owned.TenantId != tenant)
                {
                    throw new InvalidOperationException(
                        $"Refusing to save {entry.Metadata.ClrType.Name} of another tenant.");
                }
            }
        }
    }
}
