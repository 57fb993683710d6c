using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Billing;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Domain;
using Portal.Fakes.Stripe;

namespace Portal.Benchmarks;

/// <summary>
/// <c>--billing-bench</c>: usage reporting for a month of calls. Seeds N ended-call usage records over 50 businesses
/// (each with a Stripe customer) in a fresh database, then times <see cref="MeterReporter.ReportAsync"/> sending them as
/// billing meter events through Stripe.net to the fake Stripe on 127.0.0.1, and a second run (nothing left to send).
/// Prints the job duration, events per second and the Stripe requests made.
/// </summary>
internal static class BillingBenchmark
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";

    public static async Task<int> RunAsync(int calls)
    {
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : DefaultAdmin;
        var database = $"portal_bill_{Guid.NewGuid():N}"[..25];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        await using var stripe = await FakeStripeServer.StartAsync(null, "whsec_bench");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddPortalDomain(connectionString);
            services.AddHttpClient(nameof(StripeGateway));
            services.AddSingleton(Options.Create(new StripeOptions { SecretKey = "sk_test_bench", ApiBase = stripe.BaseUrl.ToString(), MeterId = "mtr_bench" }));
            services.AddSingleton<StripeGateway>();
            services.AddSingleton(Options.Create(new BillingOptions()));
            services.AddScoped(sp => new BillingAccounts(sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<IOptions<BillingOptions>>(), TimeProvider.System));
            services.AddScoped(sp => new MeterReporter(sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<StripeGateway>(),
                sp.GetRequiredService<BillingAccounts>(), TimeProvider.System, NullLogger<MeterReporter>.Instance));
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.MigrateAsync();
            }

            var seed = Stopwatch.StartNew();
            await ExecuteAsync(connectionString, SeedSql(calls));
            Console.WriteLine(F($"Seeded {calls} usage records over 50 businesses in {seed.Elapsed.TotalSeconds:F1} s."));

            var requestsBefore = stripe.Requests;
            var watch = Stopwatch.StartNew();
            MeterReportResult first;
            await using (var scope = provider.CreateAsyncScope())
            {
                first = await scope.ServiceProvider.GetRequiredService<MeterReporter>().ReportAsync(CancellationToken.None);
            }

            watch.Stop();
            var firstRequests = stripe.Requests - requestsBefore;
            var again = Stopwatch.StartNew();
            MeterReportResult second;
            await using (var scope = provider.CreateAsyncScope())
            {
                second = await scope.ServiceProvider.GetRequiredService<MeterReporter>().ReportAsync(CancellationToken.None);
            }

            again.Stop();
            var accepted = stripe.MeterEvents.Count;
            Console.WriteLine();
            Console.WriteLine("| run | events sent | failed | batches | Stripe requests | duration s | events/s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(F($"| first (all {calls}) | {first.Sent} | {first.Failed} | {first.Batches} | {firstRequests} | {watch.Elapsed.TotalSeconds:F1} | {first.Sent / watch.Elapsed.TotalSeconds:F0} |"));
            Console.WriteLine(F($"| second (nothing left) | {second.Sent} | {second.Failed} | {second.Batches} | {stripe.Requests - requestsBefore - firstRequests} | {again.Elapsed.TotalSeconds:F2} | — |"));
            Console.WriteLine();
            Console.WriteLine(F($"Meter events held by the fake: {accepted} (unique identifiers). Load average: {LoadAverage()}."));
            return first.Sent == calls && accepted == calls && second.Sent == 0 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>50 tenants with billing accounts (customers cus_bench_N) and N usage records spread over the last 30 days.</summary>
    private static string SeedSql(int calls) => F($"""
        INSERT INTO tenants (id, name, industry, time_zone_id, address, status, plan, onboarding_step, minimum_notice_minutes, slot_interval_minutes, facts_version, created_at, updated_at)
        SELECT ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'Bench ' || g, 'Dental', 'America/New_York', '', 'Active', 'PayAsYouGo', 4, 60, 30, 0, now(), now()
        FROM generate_series(1, 50) g;
        INSERT INTO billing_accounts (id, tenant_id, stripe_customer_id, subscription_event_created, has_payment_method, limit_action, trial_minutes, created_at, updated_at)
        SELECT gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'cus_bench_' || g, 0, true, 'Voicemail', 0, now(), now()
        FROM generate_series(1, 50) g;
        INSERT INTO usage_records (id, tenant_id, conversation_id, agent_persona_id, channel, direction, started_at, ended_at, billable_seconds, billable_tenths,
            input_tokens, output_tokens, stt_cost_micros, tts_cost_micros, model_cost_micros, telephony_cost_micros, price_micros, plan, currency, meter_attempts, created_at, updated_at)
        SELECT gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad((1 + g % 50)::text, 12, '0'))::uuid, gen_random_uuid(), gen_random_uuid(), 'Voice', 'inbound',
            now() - (g % 43200) * interval '1 minute', now() - (g % 43200) * interval '1 minute' + interval '3 minutes', 180, 30,
            0, 0, 0, 0, 0, 0, 600000, 'PayAsYouGo', 'usd', 0, now(), now()
        FROM generate_series(1, {calls}) g;
        ANALYZE usage_records;
        """);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
