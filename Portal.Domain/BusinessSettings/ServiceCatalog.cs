using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.BusinessSettings;

/// <summary>A service as the owner edits it.</summary>
/// <param name="Id">The service, or null to add one.</param>
/// <param name="Name">1 to <see cref="Service.NameMaxLength"/> characters, unique in the business (case-insensitive).</param>
/// <param name="DurationMinutes">Appointment length, 5 to 600 minutes.</param>
/// <param name="PriceCents">Price in cents, 0 to 10,000,000, or null when not quoted.</param>
/// <param name="Keywords">Comma-separated words callers use, up to 500 characters.</param>
/// <param name="Description">Short description, up to 500 characters.</param>
/// <param name="IsActive">Offered and bookable.</param>
public sealed record ServiceInput(Guid? Id, string Name, int DurationMinutes, long? PriceCents, string? Keywords, string? Description, bool IsActive);

/// <summary>What a <see cref="ServiceCatalog"/> change did.</summary>
public enum ServiceChange
{
    /// <summary>Saved, deactivated or deleted.</summary>
    Done,

    /// <summary>No such service in this business.</summary>
    NotFound,

    /// <summary>Another service of the business has that name.</summary>
    NameTaken,

    /// <summary>The service has bookings, so it cannot be deleted (deactivate it instead).</summary>
    HasBookings,
}

/// <summary>
/// The "Services" tab's service: the current business's bookable services. A service with bookings is never deleted
/// (bookings reference it); it can be deactivated. Every change bumps <see cref="Tenant.FactsVersion"/> and invalidates
/// <see cref="BusinessProfileCache"/>. The tenant query filter scopes every read and write.
/// </summary>
public sealed class ServiceCatalog(IDbContextFactory<PortalDbContext> contextFactory, BusinessProfileCache profiles)
{
    /// <summary>Maximum length of keywords and of a description.</summary>
    public const int TextMaxLength = 500;

    /// <summary>Every service, active first, then by name.</summary>
    public async Task<IReadOnlyList<Service>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Services.AsNoTracking().OrderByDescending(s => s.IsActive).ThenBy(s => s.Name).ToListAsync(cancellationToken);
    }

    /// <summary>One service of the business, or null when there is none with that id.</summary>
    public async Task<Service?> FindAsync(Guid serviceId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serviceId, cancellationToken);
    }

    /// <summary>True when another service than <paramref name="exceptId"/> is called <paramref name="name"/> (case-insensitive, trimmed).</summary>
    public async Task<bool> IsNameTakenAsync(string name, Guid? exceptId, CancellationToken cancellationToken)
    {
        var lower = (name ?? "").Trim().ToLowerInvariant();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
#pragma warning disable CA1862 // translated to SQL lower(); the string.Equals overload with a comparison is not translatable
        return await db.Services.AnyAsync(s => s.Name.ToLower() == lower && s.Id != exceptId, cancellationToken);
#pragma warning restore CA1862
    }

    /// <summary>How many bookings (any status) name the service.</summary>
    public async Task<int> BookingCountAsync(Guid serviceId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Bookings.CountAsync(b => b.ServiceId == serviceId, cancellationToken);
    }

    /// <summary>Adds a service or saves an existing one.</summary>
    /// <exception cref="ArgumentException">A field is out of range; nothing is saved.</exception>
    public async Task<ServiceChange> SaveAsync(ServiceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = (input.Name ?? "").Trim();
        if (name.Length is 0 or > Service.NameMaxLength)
        {
            throw new ArgumentException($"The service needs a name (at most {Service.NameMaxLength} characters).", nameof(input));
        }

        if (input.DurationMinutes is < 5 or > 600)
        {
            throw new ArgumentException("The duration is between 5 and 600 minutes.", nameof(input));
        }

        if (input.PriceCents is < 0 or > 10_000_000)
        {
            throw new ArgumentException("The price is between $0 and $100,000.", nameof(input));
        }

        var keywords = string.IsNullOrWhiteSpace(input.Keywords) ? null : input.Keywords.Trim();
        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (keywords?.Length > TextMaxLength || description?.Length > TextMaxLength)
        {
            throw new ArgumentException($"Keywords and description can be up to {TextMaxLength} characters each.", nameof(input));
        }

        if (await IsNameTakenAsync(name, input.Id, cancellationToken))
        {
            return ServiceChange.NameTaken;
        }

        return await ChangeAsync(async db =>
        {
            Service? entity;
            if (input.Id is { } id)
            {
                entity = await db.Services.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
                if (entity is null)
                {
                    return ServiceChange.NotFound;
                }
            }
            else
            {
                entity = new Service();
                db.Services.Add(entity);
            }

            (entity.Name, entity.DurationMinutes, entity.PriceCents, entity.Keywords, entity.Description, entity.IsActive) =
                (name, input.DurationMinutes, input.PriceCents, keywords, description, input.IsActive);
            return ServiceChange.Done;
        }, cancellationToken);
    }

    /// <summary>Stops offering a service (its bookings stay).</summary>
    public Task<ServiceChange> DeactivateAsync(Guid serviceId, CancellationToken cancellationToken) =>
        ChangeAsync(async db =>
        {
            var entity = await db.Services.FirstOrDefaultAsync(s => s.Id == serviceId, cancellationToken);
            if (entity is null)
            {
                return ServiceChange.NotFound;
            }

            entity.IsActive = false;
            return ServiceChange.Done;
        }, cancellationToken);

    /// <summary>Deletes a service that has no bookings.</summary>
    public Task<ServiceChange> DeleteAsync(Guid serviceId, CancellationToken cancellationToken) =>
        ChangeAsync(async db =>
        {
            var entity = await db.Services.FirstOrDefaultAsync(s => s.Id == serviceId, cancellationToken);
            if (entity is null)
            {
                return ServiceChange.NotFound;
            }

            if (await db.Bookings.AnyAsync(b => b.ServiceId == serviceId, cancellationToken))
            {
                return ServiceChange.HasBookings;
            }

            db.Services.Remove(entity);
            return ServiceChange.Done;
        }, cancellationToken);

    /// <summary>Runs <paramref name="change"/>; when it is <see cref="ServiceChange.Done"/>, bumps the facts version, saves and invalidates the profile.</summary>
    private async Task<ServiceChange> ChangeAsync(Func<PortalDbContext, Task<ServiceChange>> change, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(cancellationToken);
        if (tenant is null)
        {
            return ServiceChange.NotFound;
        }

        var result = await change(db);
        if (result != ServiceChange.Done)
        {
            return result;
        }

        tenant.FactsVersion++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return ServiceChange.NameTaken; // a concurrent save took the name between the check and this write
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation })
        {
            return ServiceChange.HasBookings; // a booking arrived between the check and the delete
        }

        profiles.Invalidate(tenant.Id);
        return ServiceChange.Done;
    }
}
