using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Pii;

/// <summary>Reads and saves the current business's <see cref="RedactionSettings"/> (the defaults when none were saved).</summary>
public sealed class RedactionSettingsService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext)
{
    /// <summary>The current tenant's settings, or the defaults (every category, no original kept).</summary>
    public async Task<(PiiCategory Categories, bool KeepEncryptedOriginal)> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var s = await db.RedactionSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return s is null ? (PiiCategory.All, false) : (s.Categories, s.KeepEncryptedOriginal);
    }

    /// <summary>
    /// Saves the current tenant's settings; applies to conversations analysed from now on.
    /// Throws <see cref="InvalidOperationException"/> outside a tenant, <see cref="ArgumentOutOfRangeException"/> for unknown category bits.
    /// </summary>
    public async Task SaveAsync(PiiCategory categories, bool keepEncryptedOriginal, CancellationToken cancellationToken)
    {
        if ((categories & ~PiiCategory.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(categories), "Unknown personal-data category.");
        }

        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var s = await db.RedactionSettings.FirstOrDefaultAsync(cancellationToken);
        if (s is null)
        {
            s = new RedactionSettings { TenantId = tenantId };
            db.RedactionSettings.Add(s);
        }

        s.Categories = categories;
        s.KeepEncryptedOriginal = keepEncryptedOriginal;
        await db.SaveChangesAsync(cancellationToken);
    }
}
