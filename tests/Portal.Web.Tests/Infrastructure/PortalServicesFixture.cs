using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Onboarding;
using Portal.Domain.Tenancy;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The app's real services (EF Core, domain services, number pool, knowledge) built by its own host on a throw-away
/// PostgreSQL database (one per test class, migrated at start, dropped at the end; each test makes its own business so
/// tests never see each other's rows). Components under test resolve from it through bUnit's fallback provider.
/// Reads <c>PORTAL_TEST_PG</c> (an admin connection string) like the integration tests.
/// </summary>
public sealed class PortalServicesFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } cs
        ? cs
        : "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";

    private readonly string _name = $"portal_bunit_{Guid.NewGuid():N}"[..40];

    /// <summary>Connection string of this fixture's database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await using (var conn = new NpgsqlConnection(_admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        _ = Services; // builds the host: migrations run now
    }

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>A new business from the template of <paramref name="industry"/>, made the current tenant.</summary>
    /// <returns>The tenant id.</returns>
    public async Task<Guid> CreateTenantAsync(string name = "Bright Smile Dental", Industry industry = Industry.Dental)
    {
        // Provisioning writes rows of the new tenant: no current tenant while it runs (as on sign-up).
        Services.GetRequiredService<ITenantContext>().SetTenant(null);
        var tenantId = await Services.GetRequiredService<TenantProvisioner>().CreateAsync(
            new BusinessDetails(name, industry, "America/New_York", "+12125550188", "1 Test Plaza, New York, NY"), null, null, CancellationToken.None);
        UseTenant(tenantId);
        return tenantId;
    }

    /// <summary>Makes <paramref name="tenantId"/> the tenant every resolved service and query works for.</summary>
    public void UseTenant(Guid tenantId) => Services.GetRequiredService<ITenantContext>().SetTenant(tenantId);

    /// <summary>Runs <paramref name="action"/> on a new context of the current tenant.</summary>
    public async Task<T> DbAsync<T>(Func<PortalDbContext, Task<T>> action)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await action(db);
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Portal:SeedDemo", "false");
    }
}
