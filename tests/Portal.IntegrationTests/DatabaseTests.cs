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
    public async Task Booking_ChosenAsADeadlockVictim_IsWrittenWhenRunAgain()
    {
        // A transaction of its own holds a booking (not committed) that the new booking overlaps, so the new booking's
        // insert waits for it; then it inserts a second booking that overlaps the new one and so waits for the insert:
        // a deadlock. The insert waited first, so PostgreSQL's check runs in its session first and aborts it (40P01).
        var tenant = await app.CreateTenantAsync("Deadlock Dental");
        var serviceId = await app.InTenantAsync(tenant.TenantId, async sp => (await sp.GetRequiredService<PortalDbContext>().Services.FirstAsync()).Id);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(9), TimeSpan.Zero);
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(app.ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using var holder = new PortalDbContext(options, new Portal.Data.Tenancy.TenantContext());
        await using var tx = await holder.Database.BeginTransactionAsync();
        holder.Bookings.Add(Held(0, 60));
        await holder.SaveChangesAsync();

        var create = app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<IBookingStore>().CreateAsync(
            new NewBooking(tenant.TenantId, serviceId, null, start.AddMinutes(30), start.AddMinutes(90), "Dee Lock", "+12125550187", 100), CancellationToken.None));
        await WaitForLockWaitAsync(create);

        holder.Bookings.Add(Held(80, 140));
        try
        {
            await holder.SaveChangesAsync();
        }
        catch (Exception ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } || ex is InvalidOperationException)
        {
            // This side was the victim after all (a busy machine fired its check first): the insert then went on alone.
        }

        await tx.RollbackAsync();
        var id = await create;
        Assert.NotNull(id);
        var booking = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().Bookings.SingleAsync());
        Assert.Equal((id, BookingStatus.Confirmed), (booking.Id, booking.Status));
        Assert.NotNull(booking.CustomerId); // matched by phone and written with the booking

        Booking Held(int fromMinute, int toMinute) => new()
        {
            TenantId = tenant.TenantId, ServiceId = serviceId, StartUtc = start.AddMinutes(fromMinute), EndUtc = start.AddMinutes(toMinute),
            CustomerName = "Holder", CustomerPhone = "+12125550188",
        };
    }

    /// <summary>Waits until a session of the app's database waits for a lock (the booking insert), or <paramref name="task"/> ended.</summary>
    private async Task WaitForLockWaitAsync(Task task)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO bookings%'", conn);
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((long)(await cmd.ExecuteScalarAsync())! == 0)
        {
            Assert.False(task.IsCompleted, "the insert finished without waiting for the held booking");
            Assert.True(DateTime.UtcNow < until, "the insert never waited for the held booking");
            await Task.Delay(20);
        }
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
