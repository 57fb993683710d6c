using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain;
using Portal.Domain.Audit;
using Portal.Domain.Numbers;

namespace Portal.Benchmarks;

/// <summary>
/// <c>--pool N</c>: seeds N numbers (and 500 businesses holding a third of them) in a fresh database and
/// times what the admin number pool page runs per load, <see cref="PoolAdministration.SearchAsync"/>
/// (COUNT + one page of 25), for a mix of filters and pages. Target: p95 under 100 ms at 10,000 numbers.
/// </summary>
public static class PoolBenchmark
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";

    private static readonly (string Name, NumberPoolQuery Query, int Page)[] Cases =
    [
        ("first page, no filter", new NumberPoolQuery(), 0),
        ("page 200 (offset 5000)", new NumberPoolQuery(), 200),
        ("status = Assigned", new NumberPoolQuery(PhoneNumberStatus.Assigned), 0),
        ("status Available + area 422", new NumberPoolQuery(PhoneNumberStatus.Available, "422"), 0),
        ("region = TX", new NumberPoolQuery(Region: "TX"), 3),
        ("digits contain 0427", new NumberPoolQuery(Digits: "0427"), 0),
        ("business name contains 'Dental 4'", new NumberPoolQuery(TenantName: "Dental 4"), 0),
    ];

    /// <summary>Runs the benchmark; returns the process exit code (1 when the p95 target is missed).</summary>
    public static async Task<int> RunAsync(int numbers, int iterations)
    {
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : DefaultAdmin;
        var database = $"portal_pool_{Guid.NewGuid():N}"[..25];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        Console.WriteLine($"Database {database} created.");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddPortalDomain(connectionString);
            services.AddScoped<ICurrentUser, NobodySignedIn>();
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
            var seed = Stopwatch.StartNew();
            await SeedAsync(provider, numbers);
            Console.WriteLine($"Seeded {numbers} numbers and 500 businesses in {seed.Elapsed.TotalSeconds:F1} s.");

            var all = new List<double>();
            Console.WriteLine();
            Console.WriteLine(F($"PoolAdministration.SearchAsync (COUNT + page of 25), {numbers} numbers, {iterations} runs per case after 5 warm-up"));
            Console.WriteLine();
            Console.WriteLine("| case | total rows | mean ms | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, query, page) in Cases)
            {
                var samples = new List<double>();
                var total = 0;
                for (var i = 0; i < iterations + 5; i++)
                {
                    await using var scope = provider.CreateAsyncScope();
                    var pool = scope.ServiceProvider.GetRequiredService<PoolAdministration>();
                    var watch = Stopwatch.StartNew();
                    var result = await pool.SearchAsync(query, page, 25, CancellationToken.None);
                    watch.Stop();
                    total = result.Total;
                    if (i >= 5)
                    {
                        samples.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                all.AddRange(samples);
                var s = LatencyStats.Of(samples);
                Console.WriteLine(F($"| {name} | {total} | {s.Mean:F2} | {s.P50:F2} | {s.P95:F2} | {s.Max:F2} |"));
            }

            var overall = LatencyStats.Of(all);
            Console.WriteLine(F($"| **all** | | {overall.Mean:F2} | {overall.P50:F2} | **{overall.P95:F2}** | {overall.Max:F2} |"));
            Console.WriteLine();
            Console.WriteLine(F($"p95 target 100 ms: {(overall.P95 < 100 ? "met" : "MISSED")} (p95 = {overall.P95:F2} ms)."));
            return overall.P95 < 100 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            Console.WriteLine($"Database {database} dropped.");
        }
    }

    /// <summary>N numbers over 20 area codes (E.164 +1AAA555LLLL), a third assigned to 500 businesses, some reserved/suspended; then ANALYZE.</summary>
    private static async Task SeedAsync(IServiceProvider provider, int count)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        string[] regions = ["NY", "CA", "IL", "TX", "FL", "MA", "WA", "GA", "CO", "AZ"];
        var tenants = Enumerable.Range(0, 500).Select(i => new Tenant { Name = F($"Bench {(i % 2 == 0 ? "Dental" : "Salon")} {i}"), Status = TenantStatus.Active, OnboardingStep = 4 }).ToList();
        db.Tenants.AddRange(tenants);
        await db.SaveChangesAsync();
        var random = new Random(42);
        for (var start = 0; start < count; start += 2000)
        {
            for (var i = start; i < Math.Min(count, start + 2000); i++)
            {
                var area = 200 + (i % 20 * 37);
                var status = (i % 30) switch
                {
                    < 10 => PhoneNumberStatus.Assigned,
                    10 => PhoneNumberStatus.Reserved,
                    11 => PhoneNumberStatus.Suspended,
                    _ => PhoneNumberStatus.Available,
                };
                var tenant = status is PhoneNumberStatus.Available ? null : tenants[random.Next(tenants.Count)];
                db.PhoneNumbers.Add(new PhoneNumber
                {
                    E164 = F($"+1{area}555{i / 20:0000}"),
                    AreaCode = area.ToString(CultureInfo.InvariantCulture),
                    Region = regions[i % 20 % regions.Length],
                    Locality = "Bench City",
                    Provider = "sandbox",
                    Status = status,
                    TenantId = tenant?.Id,
                    AgentPersonaId = status is PhoneNumberStatus.Assigned or PhoneNumberStatus.Suspended ? Guid.CreateVersion7() : null,
                    AssignedAt = status is PhoneNumberStatus.Assigned ? DateTimeOffset.UtcNow : null,
                    ReservedUntil = status is PhoneNumberStatus.Reserved ? DateTimeOffset.UtcNow.AddMinutes(30) : null,
                    MonthlyCostCents = 115,
                });
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The benchmark only reads; nobody is signed in.</summary>
    private sealed class NobodySignedIn : ICurrentUser
    {
        public Task<Actor?> GetAsync(CancellationToken cancellationToken) => Task.FromResult<Actor?>(null);
    }
}
