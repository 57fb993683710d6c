using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Domain.Brain.Ask;

namespace Portal.IntegrationTests.Brain;

/// <summary>The semantic layer's defences: plan validation, parameters, the read-only role, the views' tenant predicate and RLS.</summary>
public sealed class AskDataSecurityTests(AskEvalFixture app) : IClassFixture<AskEvalFixture>
{
    private Task<AskAnswer> RunAsync(Guid tenantId, QueryPlan plan) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<AskService>().RunAsync(plan, CancellationToken.None));

    private static readonly DateRangePlan AllTime = new(new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 7), "so far");

    [Theory]
    [InlineData("conversations; DROP TABLE conversations", null, "channel", "Voice")]
    [InlineData("conversations", "hour; DELETE FROM bookings", "channel", "Voice")]
    [InlineData("conversations", null, "channel", "Voice' OR '1'='1")]
    [InlineData("conversations", null, "intent", "price') OR true --")]
    [InlineData("conversations", null, "tenant_id", "00000000-0000-0000-0000-000000000000")]
    [InlineData("revenue", null, "weekday", "1 OR 1=1")]
    public async Task InjectedPlans_AreRefused_AndChangeNothing(string metric, string? dimension, string filter, string value)
    {
        int before = await CountAllConversationsAsync();
        var answer = await RunAsync(app.Tenant.TenantId, new QueryPlan(metric, dimension, [new PlanFilter(filter, value)], AllTime));
        Assert.False(answer.Answered);
        Assert.StartsWith("I can't answer that yet", answer.Sentence, StringComparison.Ordinal);
        Assert.Equal(before, await CountAllConversationsAsync());
    }

    [Fact]
    public async Task EachTenant_SeesOnlyItsOwnRows()
    {
        var plan = new QueryPlan("conversations", null, [], AllTime);
        var own = await RunAsync(app.Tenant.TenantId, plan);
        var intruder = await RunAsync(app.Intruder.TenantId, plan);
        Assert.Equal(app.Conversations.Count(c => !c.IsTest), own.Scalar);
        var intruderReal = await app.InTenantAsync(app.Intruder.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.CountAsync(c => !c.IsTest);
        });
        Assert.Equal(intruderReal, intruder.Scalar);
        Assert.NotEqual(own.Scalar, intruder.Scalar);
    }

    [Fact]
    public async Task TheRole_CanReadOnlyTheViews_OnlyItsTenant_AndWriteNothing()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        async Task<T?> AsBrain<T>(string sql, Guid tenant)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var setup = new NpgsqlCommand($"SET LOCAL ROLE {AskService.Role}; SELECT set_config('app.tenant_id', '{tenant}', true);", connection, tx);
            await setup.ExecuteNonQueryAsync();
            try
            {
                await using var command = new NpgsqlCommand(sql, connection, tx);
                return (T?)await command.ExecuteScalarAsync();
            }
            finally
            {
                await tx.RollbackAsync();
            }
        }

        // Base tables are out of reach: permission denied (42501).
        var denied = await Assert.ThrowsAsync<PostgresException>(() => AsBrain<long>("SELECT count(*) FROM conversations", app.Tenant.TenantId));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        // Views cannot be written: no privilege (42501) or, for the joined views, not updatable at all (55000).
        var write = await Assert.ThrowsAsync<PostgresException>(() => AsBrain<long>("DELETE FROM brain.v_bookings", app.Tenant.TenantId));
        Assert.Contains(write.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.ObjectNotInPrerequisiteState });
        var insert = await Assert.ThrowsAsync<PostgresException>(() => AsBrain<long>("INSERT INTO brain.v_messages (tenant_id, id) VALUES (gen_random_uuid(), gen_random_uuid())", app.Tenant.TenantId));
        Assert.Contains(insert.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.ObjectNotInPrerequisiteState });
        // Asking the views for another tenant's rows by id finds none; no tenant set finds none.
        Assert.Equal(0L, await AsBrain<long>($"SELECT count(*) FROM brain.v_conversations WHERE tenant_id = '{app.Intruder.TenantId}'", app.Tenant.TenantId));
        Assert.True(await AsBrain<long>("SELECT count(*) FROM brain.v_conversations", app.Tenant.TenantId) > 0);
        Assert.Equal(0L, await AsBrain<long>("SELECT count(*) FROM brain.v_conversations", Guid.Empty));
    }

    [Fact]
    public async Task RowLevelSecurity_FiltersTheViewOwnerToo()
    {
        // The views' owner reads the tables under RLS policies keyed on app.tenant_id: even a query through its own
        // privileges without the views' predicate sees one tenant.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var setup = new NpgsqlCommand($"SET LOCAL ROLE portal_brain_owner; SELECT set_config('app.tenant_id', '{app.Tenant.TenantId}', true);", connection, tx))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT count(DISTINCT tenant_id) FROM conversations", connection, tx);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        await tx.RollbackAsync();
    }

    private async Task<int> CountAllConversationsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        // Cross-tenant on purpose: proves no tenant's rows changed.
        return await db.Conversations.IgnoreQueryFilters().CountAsync();
    }
}
