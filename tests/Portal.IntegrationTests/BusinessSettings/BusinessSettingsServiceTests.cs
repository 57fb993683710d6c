using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.BusinessSettings;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.BusinessSettings;

/// <summary>
/// The business-settings services the Business page calls: bad input changes nothing, a saved fact reaches the agent's
/// profile without any page invalidating a cache, and a call made for one business never reads or changes another's rows.
/// </summary>
public sealed class BusinessSettingsServiceTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private static async Task<T> DbAsync<T>(IServiceProvider sp, Func<PortalDbContext, Task<T>> read)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await read(db);
    }

    [Fact]
    public async Task SaveDetails_RefreshesTheAgentsProfile_WithoutTheCallerInvalidatingIt()
    {
        var tenant = await app.CreateTenantAsync("Profile Refresh Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var profiles = sp.GetRequiredService<BusinessProfileCache>();
            var before = await profiles.GetAsync(tenant.TenantId, CancellationToken.None); // cached now
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            var details = (await settings.GetAsync(CancellationToken.None))!.Details;

            Assert.True(await settings.SaveDetailsAsync(details with { Name = "  Renamed Dental  ", MinimumNoticeMinutes = 120 }, CancellationToken.None));

            var after = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);
            Assert.Equal("Renamed Dental", after.Name);
            Assert.Equal(120, after.MinimumNoticeMinutes);
            Assert.Equal(before.FactsVersion + 1, after.FactsVersion);
            return 0;
        });
    }

    [Theory]
    [InlineData("", "+12125550100", 30)]
    [InlineData("Good Name", "not a phone", 30)]
    [InlineData("Good Name", "+12125550100", 2)]
    public async Task SaveDetails_BadInput_Throws_AndChangesNothing(string name, string phone, int interval)
    {
        var tenant = await app.CreateTenantAsync("Unchanged Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            var details = (await settings.GetAsync(CancellationToken.None))!.Details;

            await Assert.ThrowsAsync<ArgumentException>(() => settings.SaveDetailsAsync(details with { Name = name, Phone = phone, SlotIntervalMinutes = interval }, CancellationToken.None));

            Assert.Equal(details, (await settings.GetAsync(CancellationToken.None))!.Details);
            return 0;
        });
    }

    [Fact]
    public async Task ReplaceHours_Overlapping_Throws_AndKeepsTheOldHours()
    {
        var tenant = await app.CreateTenantAsync("Overlap Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            var old = await settings.GetHoursAsync(CancellationToken.None);

            var error = await Assert.ThrowsAsync<ArgumentException>(() => settings.ReplaceHoursAsync(
                [new OpeningHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(13, 0)), new OpeningHours(DayOfWeek.Monday, new TimeOnly(12, 0), new TimeOnly(17, 0))],
                CancellationToken.None));

            Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
            Assert.Equal(old, await settings.GetHoursAsync(CancellationToken.None));
            return 0;
        });
    }

    [Fact]
    public async Task ReplaceHours_ReachesTheProfile()
    {
        var tenant = await app.CreateTenantAsync("Short Week Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var profiles = sp.GetRequiredService<BusinessProfileCache>();
            _ = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);
            var settings = sp.GetRequiredService<BusinessSettingsService>();

            Assert.True(await settings.ReplaceHoursAsync([new OpeningHours(DayOfWeek.Tuesday, new TimeOnly(10, 0), new TimeOnly(14, 0))], CancellationToken.None));

            var profile = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);
            Assert.Equal(new[] { new OpeningInterval(new TimeOnly(10, 0), new TimeOnly(14, 0)) }, profile.Hours[(int)DayOfWeek.Tuesday]);
            Assert.Empty(profile.Hours[(int)DayOfWeek.Monday]);
            return 0;
        });
    }

    [Fact]
    public async Task ClosedDates_AreOneBusinesssOwn_AndADateIsClosedOnce()
    {
        var a = await app.CreateTenantAsync("Closed A Dental");
        var b = await app.CreateTenantAsync("Closed B Dental");
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var id = await app.InTenantAsync(a.TenantId, async sp =>
        {
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            Assert.Equal("Holiday", (await settings.AddClosedDateAsync(date, " Holiday ", CancellationToken.None))?.Reason);
            Assert.Null(await settings.AddClosedDateAsync(date, "Again", CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => settings.AddClosedDateAsync(date.AddDays(1), new string('x', BusinessSettingsService.ReasonMaxLength + 1), CancellationToken.None));
            var listed = Assert.Single(await settings.ListClosedDatesAsync(date.AddDays(-1), CancellationToken.None));
            Assert.Equal("Holiday", listed.Reason);
            Assert.Equal("Holiday", (await sp.GetRequiredService<BusinessProfileCache>().GetAsync(a.TenantId, CancellationToken.None)).ClosedDates[date]);
            return listed.Id;
        });

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var settings = sp.GetRequiredService<BusinessSettingsService>();
            Assert.Empty(await settings.ListClosedDatesAsync(date.AddDays(-1), CancellationToken.None));
            Assert.False(await settings.RemoveClosedDateAsync(id, CancellationToken.None));
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            Assert.True(await DbAsync(sp, db => db.ClosedDates.AnyAsync(c => c.Id == id)));
            Assert.True(await sp.GetRequiredService<BusinessSettingsService>().RemoveClosedDateAsync(id, CancellationToken.None));
            Assert.False(await DbAsync(sp, db => db.ClosedDates.AnyAsync(c => c.Id == id)));
            return 0;
        });
    }

    [Fact]
    public async Task Services_NameIsUniqueWithinTheBusiness_AndABookedServiceIsDeactivatedNotDeleted()
    {
        var a = await app.CreateTenantAsync("Catalog A Dental");
        var b = await app.CreateTenantAsync("Catalog B Dental");
        var (serviceId, serviceName) = await app.InTenantAsync(a.TenantId, async sp =>
        {
            var catalog = sp.GetRequiredService<ServiceCatalog>();
            var first = (await catalog.ListAsync(CancellationToken.None))[0];
            Assert.Equal(ServiceChange.NameTaken, await catalog.SaveAsync(new ServiceInput(null, first.Name.ToUpperInvariant(), 30, null, null, null, true), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => catalog.SaveAsync(new ServiceInput(null, "Too short", 2, null, null, null, true), CancellationToken.None));
            Assert.Equal(ServiceChange.Done, await catalog.SaveAsync(new ServiceInput(null, "Night Whitening", 45, 12_500, "glow", null, true), CancellationToken.None));
            Assert.Contains(await catalog.ListAsync(CancellationToken.None), s => s.Name == "Night Whitening" && s.PriceCents == 12_500);
            Assert.Contains((await sp.GetRequiredService<BusinessProfileCache>().GetAsync(a.TenantId, CancellationToken.None)).Services, s => s.Name == "Night Whitening");

            var start = DateTimeOffset.UtcNow.AddDays(3);
            await using (var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            {
                db.Bookings.Add(new Booking { TenantId = a.TenantId, ServiceId = first.Id, StartUtc = start, EndUtc = start.AddMinutes(30), CustomerName = "Ann Lee", CustomerPhone = "+12125550111" });
                await db.SaveChangesAsync();
            }

            Assert.Equal(ServiceChange.HasBookings, await catalog.DeleteAsync(first.Id, CancellationToken.None));
            return (first.Id, first.Name);
        });

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var catalog = sp.GetRequiredService<ServiceCatalog>();
            Assert.DoesNotContain(await catalog.ListAsync(CancellationToken.None), s => s.Id == serviceId);
            Assert.Equal(ServiceChange.NotFound, await catalog.DeactivateAsync(serviceId, CancellationToken.None));
            Assert.Equal(ServiceChange.NotFound, await catalog.SaveAsync(new ServiceInput(serviceId, "Hijacked", 30, null, null, null, false), CancellationToken.None));
            Assert.Equal(ServiceChange.NotFound, await catalog.DeleteAsync(serviceId, CancellationToken.None));
            Assert.Equal(0, await catalog.BookingCountAsync(serviceId, CancellationToken.None));
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var service = await DbAsync(sp, db => db.Services.SingleAsync(s => s.Id == serviceId));
            Assert.True(service.IsActive);
            Assert.Equal(serviceName, service.Name);
            Assert.Equal(ServiceChange.Done, await sp.GetRequiredService<ServiceCatalog>().DeactivateAsync(serviceId, CancellationToken.None));
            Assert.DoesNotContain((await sp.GetRequiredService<BusinessProfileCache>().GetAsync(a.TenantId, CancellationToken.None)).Services, s => s.Id == serviceId);
            return 0;
        });
    }
}
