using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Domain.Scheduling;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Numbers;

namespace Portal.IntegrationTests;

public sealed class DatabaseTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Migrations_ApplyToAnEmptyDatabase_AndLeaveNothingPending()
    {
        await using var empty = await TestDatabase.CreateAsync("portal_mig");
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(empty.ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using (var db = new PortalDbContext(options, new Portal.Data.Tenancy.TenantContext()))
        {
            Assert.NotEmpty(db.Database.GetMigrations());
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.False(db.Database.HasPendingModelChanges());
        }

        await using var conn = new NpgsqlConnection(empty.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_constraint WHERE conname = 'ex_bookings_no_overlap'", conn);
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task OverlappingConfirmedBookings_AreRefusedByTheDatabase_EvenWhenRacing()
    {
        var tenant = await app.CreateTenantAsync("Race Dental");
        var serviceId = await app.InTenantAsync(tenant.TenantId, async sp => (await sp.GetRequiredService<PortalDbContext>().Services.FirstAsync()).Id);
        var start = DateTimeOffset.UtcNow.AddDays(5);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => app.InTenantAsync(tenant.TenantId, sp =>
            sp.GetRequiredService<IBookingStore>().CreateAsync(
                new NewBooking(tenant.TenantId, serviceId, null, start.AddMinutes(i % 3 * 10), start.AddMinutes(60 + (i % 3 * 10)), $"Racer {i}", "+12125550100", 100), CancellationToken.None))));
        Assert.Single(results, r => r is not null);
        var confirmed = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().Bookings.CountAsync(b => b.Status == BookingStatus.Confirmed));
        Assert.Equal(1, confirmed);
    }

    [Fact]
    public async Task ExpiredReservations_AreFreedByTheJob_AndLiveOnesAreKept()
    {
        var tenant = await app.CreateTenantAsync("Reserve Dental");
        var (expired, live) = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var pool = sp.GetRequiredService<NumberPool>();
            var available = await pool.ListAvailableAsync("415", null, 2, CancellationToken.None);
            Assert.Equal(ReserveResult.Reserved, await pool.ReserveAsync(tenant.TenantId, available[0].Id, CancellationToken.None));
            var db = sp.GetRequiredService<PortalDbContext>();
            // Age the reservation past its expiry, as if the owner abandoned the wizard an hour ago.
            await db.PhoneNumbers.Where(p => p.Id == available[0].Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ReservedUntil, DateTimeOffset.UtcNow.AddHours(-1)));
            var other = await CreateOtherTenantReservationAsync(available[1].Id);
            return (available[0].Id, other);
        });

        await using var scope = app.Services.CreateAsyncScope();
        var released = await scope.ServiceProvider.GetRequiredService<ReleaseExpiredReservationsJob>().RunAsync(CancellationToken.None);
        Assert.Equal(1, released);
        var db2 = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var freed = await db2.PhoneNumbers.SingleAsync(p => p.Id == expired);
        Assert.Equal(PhoneNumberStatus.Available, freed.Status);
        Assert.Null(freed.TenantId);
        Assert.Equal(PhoneNumberStatus.Reserved, (await db2.PhoneNumbers.SingleAsync(p => p.Id == live)).Status);
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ReleaseExpiredReservationsJob>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OneNumber_ReservedByManyTenantsAtOnce_HasExactlyOneWinner()
    {
        var tenants = new List<TestTenant>();
        for (var i = 0; i < 6; i++)
        {
            tenants.Add(await app.CreateTenantAsync($"Racer {i} Dental"));
        }

        var numberId = await app.InTenantAsync(tenants[0].TenantId, async sp => (await sp.GetRequiredService<NumberPool>().ListAvailableAsync("305", null, 1, CancellationToken.None))[0].Id);
        var outcomes = await Task.WhenAll(tenants.Select(t => app.InTenantAsync(t.TenantId, sp => sp.GetRequiredService<NumberPool>().ReserveAsync(t.TenantId, numberId, CancellationToken.None))));
        Assert.Single(outcomes, o => o == ReserveResult.Reserved);
        Assert.Equal(5, outcomes.Count(o => o == ReserveResult.Taken));
    }

    private async Task<Guid> CreateOtherTenantReservationAsync(Guid numberId)
    {
        var other = await app.CreateTenantAsync("Other Reserve Dental");
        return await app.InTenantAsync(other.TenantId, async sp =>
        {
            Assert.Equal(ReserveResult.Reserved, await sp.GetRequiredService<NumberPool>().ReserveAsync(other.TenantId, numberId, CancellationToken.None));
            return numberId;
        });
    }
}
