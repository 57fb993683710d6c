using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Analytics;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>
/// The stored local start of a conversation (<c>conversations.local_started_at</c>, kept by database triggers in the
/// business's zone; migration <c>Brain_LocalTimes</c>) that the Analytics page and the <c>brain</c> views count by: it is set
/// on insert, follows a change of the start, and follows the business when its time zone changes.
/// </summary>
public sealed class LocalStartTimeTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private async Task SetZoneAsync(Guid tenantId, string zone)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE tenants SET time_zone_id = @zone WHERE id = @id", connection);
        command.Parameters.AddWithValue("zone", zone);
        command.Parameters.AddWithValue("id", tenantId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Conversations whose stored local start differs from <c>started_at AT TIME ZONE</c> the business's zone now.</summary>
    private async Task<long> StaleRowsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT COUNT(*) FROM conversations c JOIN tenants t ON t.id = c.tenant_id
            WHERE c.local_started_at IS DISTINCT FROM (c.started_at AT TIME ZONE t.time_zone_id)
            """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<AnalyticsReport> DaysAsync(Guid tenantId, DateOnly from, DateOnly to) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<AnalyticsService>().GetAsync(new AnalyticsQuery(from, to, null), CancellationToken.None));

    [Fact]
    public async Task LocalStart_FollowsTheStartAndTheBusinessZone()
    {
        var tenant = await app.CreateTenantAsync("Midnight Dental");
        await SetZoneAsync(tenant.TenantId, "America/New_York");
        var conversationId = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            // 03:30 UTC on Nov 10 is 22:30 on Nov 9 in New York and 04:30 on Nov 10 in Paris.
            var conversation = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, Outcome = ConversationOutcome.Answered,
                StartedAt = new DateTimeOffset(2026, 11, 10, 3, 30, 0, TimeSpan.Zero), State = "{}",
            };
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation.Id;
        });

        var (nov9, nov10, nov12) = (new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 12));
        var report = await DaysAsync(tenant.TenantId, nov9, nov12);
        Assert.Equal([1, 0, 0, 0], report.PerDay.Select(d => d.Calls));
        Assert.Equal(new HeatCell(1, 22, 1), Assert.Single(report.Heatmap));
        Assert.Equal(0, await StaleRowsAsync());

        await SetZoneAsync(tenant.TenantId, "Europe/Paris");
        report = await DaysAsync(tenant.TenantId, nov9, nov12);
        Assert.Equal([0, 1, 0, 0], report.PerDay.Select(d => d.Calls));
        Assert.Equal(new HeatCell(2, 4, 1), Assert.Single(report.Heatmap));
        Assert.Equal(0, await StaleRowsAsync());

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var conversation = await db.Conversations.SingleAsync(c => c.Id == conversationId);
            conversation.StartedAt = new DateTimeOffset(2026, 11, 12, 12, 0, 0, TimeSpan.Zero);
            return await db.SaveChangesAsync();
        });
        report = await DaysAsync(tenant.TenantId, nov9, nov12);
        Assert.Equal([0, 0, 0, 1], report.PerDay.Select(d => d.Calls));
        Assert.Equal(new HeatCell(4, 13, 1), Assert.Single(report.Heatmap));
        Assert.Equal(0, await StaleRowsAsync());
    }
}
