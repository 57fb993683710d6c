using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;

namespace Portal.Domain.BusinessSettings;

/// <summary>The business's own facts as the settings pages edit them.</summary>
/// <param name="Name">Business name, 1 to <see cref="Tenant.NameMaxLength"/> characters.</param>
/// <param name="Industry">Industry (decides templates and wording).</param>
/// <param name="TimeZoneId">IANA time zone id, e.g. <c>America/New_York</c>.</param>
/// <param name="Phone">E.164 phone, or null.</param>
/// <param name="Address">Street address, up to <see cref="Tenant.AddressMaxLength"/> characters.</param>
/// <param name="MinimumNoticeMinutes">Minutes between now and the earliest bookable start, 0 to 10,080.</param>
/// <param name="SlotIntervalMinutes">Minutes between offered starts, 5 to 240.</param>
public sealed record BusinessInfo(string Name, Industry Industry, string TimeZoneId, string? Phone, string Address, int MinimumNoticeMinutes, int SlotIntervalMinutes);

/// <summary>The business as the layout and the wizard need it.</summary>
/// <param name="Id">Tenant id.</param>
/// <param name="Details">The editable facts.</param>
/// <param name="Status">Onboarding, active, suspended.</param>
/// <param name="OnboardingStep">Wizard steps done (4 = finished).</param>
public sealed record BusinessSummary(Guid Id, BusinessInfo Details, TenantStatus Status, int OnboardingStep);

/// <summary>One weekly opening interval in business-local time.</summary>
/// <param name="Day">Weekday.</param>
/// <param name="Opens">Opening time.</param>
/// <param name="Closes">Closing time, after <paramref name="Opens"/>.</param>
public sealed record OpeningHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>
/// The business-settings pages' service for the current tenant's details, weekly hours and closed dates. Reads and
/// writes go through the tenant query filter (another tenant's id is an unknown id); every write bumps
/// <see cref="Tenant.FactsVersion"/> in the same unit of work and then invalidates <see cref="BusinessProfileCache"/>
/// (here and on every other instance), so the agent's next turn uses the new facts. Bad input throws
/// <see cref="ArgumentException"/> with a sentence for the owner and changes nothing.
/// </summary>
public sealed class BusinessSettingsService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, BusinessProfileCache profiles)
{
    /// <summary>Maximum length of a closed date's reason (said to callers).</summary>
    public const int ReasonMaxLength = 120;

    /// <summary>Longest minimum notice: a week, in minutes.</summary>
    public const int MaxNoticeMinutes = 10080;

    /// <summary>The current business, or null when there is no current tenant (or it was deleted).</summary>
    public async Task<BusinessSummary?> GetAsync(CancellationToken cancellationToken)
    {
        if (tenantContext.TenantId is null)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var t = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return t is null
            ? null
            : new BusinessSummary(t.Id, new BusinessInfo(t.Name, t.Industry, t.TimeZoneId, t.Phone, t.Address, t.MinimumNoticeMinutes, t.SlotIntervalMinutes), t.Status, t.OnboardingStep);
    }

    /// <summary>Saves the business's details. Returns false when the business no longer exists.</summary>
    /// <exception cref="ArgumentException">A field is out of range (the message says which); nothing is saved.</exception>
    public async Task<bool> SaveDetailsAsync(BusinessInfo details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var clean = Validate(details);
        return await ChangeFactsAsync((_, tenant) =>
        {
            tenant.Name = clean.Name;
            tenant.Industry = clean.Industry;
            tenant.TimeZoneId = clean.TimeZoneId;
            tenant.Phone = clean.Phone;
            tenant.Address = clean.Address;
            tenant.MinimumNoticeMinutes = clean.MinimumNoticeMinutes;
            tenant.SlotIntervalMinutes = clean.SlotIntervalMinutes;
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>Every weekly opening interval (a day without intervals is closed).</summary>
    public async Task<IReadOnlyList<OpeningHours>> GetHoursAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.BusinessHours.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderBy(h => h.DayOfWeek).ThenBy(h => h.Opens).Select(h => new OpeningHours(h.DayOfWeek, h.Opens, h.Closes)).ToList();
    }

    /// <summary>Replaces every weekly opening interval with <paramref name="hours"/>.</summary>
    /// <exception cref="ArgumentException">An interval closes before it opens, or two of one day overlap; nothing is saved.</exception>
    public async Task<bool> ReplaceHoursAsync(IReadOnlyCollection<OpeningHours> hours, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hours);
        if (HoursProblem(hours) is { } problem)
        {
            throw new ArgumentException(problem, nameof(hours));
        }

        return await ChangeFactsAsync(async (db, tenant) =>
        {
            db.BusinessHours.RemoveRange(await db.BusinessHours.ToListAsync(cancellationToken));
            db.BusinessHours.AddRange(hours.Select(h => new BusinessHours { TenantId = tenant.Id, DayOfWeek = h.Day, Opens = h.Opens, Closes = h.Closes }));
        }, cancellationToken);
    }

    /// <summary>The first problem of a week of intervals in words, or null when every interval closes after it opens and no two of a day overlap.</summary>
    public static string? HoursProblem(IEnumerable<OpeningHours> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        foreach (var day in hours.GroupBy(h => h.Day))
        {
            if (day.Any(h => h.Closes <= h.Opens))
            {
                return $"On {day.Key}, closing time must be after opening time.";
            }

            var sorted = day.OrderBy(h => h.Opens).ToList();
            if (sorted.Zip(sorted.Skip(1)).Any(pair => pair.Second.Opens < pair.First.Closes))
            {
                return $"On {day.Key}, intervals must not overlap.";
            }
        }

        return null;
    }

    /// <summary>Closed dates from <paramref name="from"/> on, soonest first.</summary>
    public async Task<IReadOnlyList<ClosedDate>> ListClosedDatesAsync(DateOnly from, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ClosedDates.AsNoTracking().Where(c => c.Date >= from).OrderBy(c => c.Date).ToListAsync(cancellationToken);
    }

    /// <summary>Closes the business on <paramref name="date"/>, with an optional reason said to callers.</summary>
    /// <returns>The new closed date, or null when the date was already closed (nothing changed).</returns>
    /// <exception cref="ArgumentException">The reason is longer than <see cref="ReasonMaxLength"/>; nothing is saved.</exception>
    public async Task<ClosedDate?> AddClosedDateAsync(DateOnly date, string? reason, CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > ReasonMaxLength })
        {
            throw new ArgumentException($"The reason can be up to {ReasonMaxLength} characters.", nameof(reason));
        }

        ClosedDate? added = null;
        await ChangeFactsAsync(async (db, tenant) =>
        {
            if (await db.ClosedDates.AnyAsync(c => c.Date == date, cancellationToken))
            {
                return false;
            }

            added = new ClosedDate { TenantId = tenant.Id, Date = date, Reason = reason };
            db.ClosedDates.Add(added);
            return true;
        }, cancellationToken);
        return added;
    }

    /// <summary>Opens the business again on a closed date. Returns false when the id is not one of the current business's closed dates.</summary>
    public async Task<bool> RemoveClosedDateAsync(Guid id, CancellationToken cancellationToken)
    {
        var removed = false;
        await ChangeFactsAsync(async (db, _) =>
        {
            // Loaded through the tenant filter, so another tenant's id finds nothing.
            var item = await db.ClosedDates.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (item is not null)
            {
                db.ClosedDates.Remove(item);
                removed = true;
            }

            return removed;
        }, cancellationToken);
        return removed;
    }

    /// <summary>Checks and normalizes <paramref name="details"/>.</summary>
    /// <exception cref="ArgumentException">The first field out of range.</exception>
    public static BusinessInfo Validate(BusinessInfo details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var name = (details.Name ?? "").Trim();
        if (name.Length is 0 or > Tenant.NameMaxLength)
        {
            throw new ArgumentException($"The business name is required (at most {Tenant.NameMaxLength} characters).", nameof(details));
        }

        if (!Enum.IsDefined(details.Industry))
        {
            throw new ArgumentException("Choose an industry.", nameof(details));
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(details.TimeZoneId ?? "", out _))
        {
            throw new ArgumentException("Choose a time zone.", nameof(details));
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(details.Phone))
        {
            phone = E164.TryNormalize(details.Phone) ?? throw new ArgumentException("Enter a valid phone number.", nameof(details));
        }

        var address = (details.Address ?? "").Trim();
        if (address.Length > Tenant.AddressMaxLength)
        {
            throw new ArgumentException($"The address can be up to {Tenant.AddressMaxLength} characters.", nameof(details));
        }

        if (details.MinimumNoticeMinutes is < 0 or > MaxNoticeMinutes)
        {
            throw new ArgumentException($"The minimum notice is between 0 and {MaxNoticeMinutes} minutes (a week).", nameof(details));
        }

        if (details.SlotIntervalMinutes is < 5 or > 240)
        {
            throw new ArgumentException("The slot interval is between 5 and 240 minutes.", nameof(details));
        }

        return details with { Name = name, Phone = phone, Address = address };
    }

    private Task<bool> ChangeFactsAsync(Func<PortalDbContext, Tenant, Task> change, CancellationToken cancellationToken) =>
        ChangeFactsAsync(async (db, tenant) =>
        {
            await change(db, tenant);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="change"/> on the current tenant's tracked row; when it returns true, bumps the facts version,
    /// saves, and invalidates the profile cache. Returns false when there is no current business or nothing changed.
    /// </summary>
    private async Task<bool> ChangeFactsAsync(Func<PortalDbContext, Tenant, Task<bool>> change, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(cancellationToken);
        if (tenant is null || !await change(db, tenant))
        {
            return false;
        }

        tenant.FactsVersion++;
        await db.SaveChangesAsync(cancellationToken);
        profiles.Invalidate(tenant.Id);
        return true;
    }
}
