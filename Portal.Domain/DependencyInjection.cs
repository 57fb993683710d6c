using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Domain.Scheduling;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Data;
using Portal.Domain.Numbers;
using Portal.Domain.Onboarding;
using Portal.Domain.Tenancy;

namespace Portal.Domain;

/// <summary>Registers Portal.Domain: the database, tenancy, the conversation engine, booking and the number pool.</summary>
public static class DependencyInjection
{
    /// <summary>Name of the connection string (<c>ConnectionStrings:Portal</c>, env <c>ConnectionStrings__Portal</c>).</summary>
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// Adds the domain services. Throws <see cref="InvalidOperationException"/> when no connection
    /// string is configured, saying how to get one.
    /// </summary>
    public static IHostApplicationBuilder AddPortalDomain(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database is configured. Run ./run.sh (it installs and starts a local PostgreSQL) or set ConnectionStrings__Portal.");
        }

        builder.Services.AddPortalDomain(connectionString);
        return builder;
    }

    /// <summary>Adds the domain services with an explicit connection string (tests, benchmarks).</summary>
    public static IServiceCollection AddPortalDomain(this IServiceCollection services, string connectionString)
    {
        connectionString = Tune(connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<AuditInterceptor>();
        // One data source (connection pool) for EF Core and the plain-SQL turn log.
        var dataSource = new Npgsql.NpgsqlDataSourceBuilder(connectionString).Build();
        services.AddSingleton(dataSource);
        services.AddDbContextFactory<PortalDbContext>(
            (sp, options) => options
                .UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(typeof(PortalDbContext).Assembly.GetName().Name))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>()),
            ServiceLifetime.Scoped);
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        services.AddSingleton<BusinessProfileCache>();
        services.AddScoped<IBookingStore, EfBookingStore>();
        services.AddScoped<AvailabilityService>();
        services.AddScoped<OfflineDialogueEngine>();
        services.AddSingleton<TurnLog>();
        services.AddScoped<ConversationService>();
        services.AddScoped<ConversationMetrics>();
        services.AddScoped<ConsoleSuggestions>();
        services.AddScoped<NumberPool>();
        services.AddScoped<Audit.AuditLog>();
        services.AddScoped<PoolAdministration>();
        services.AddScoped<TenantAdministration>();
        services.AddScoped<Notifications.DatabaseOutbox>();
        services.AddScoped<Notifications.IOutbox>(sp => sp.GetRequiredService<Notifications.DatabaseOutbox>());
        services.AddScoped<Notifications.PlatformNotifier>();
        services.AddScoped<PurchaseBatches>();
        services.AddScoped<Calls.CallRouter>();
        services.AddScoped<TenantProvisioner>();
        services.AddScoped<DemoSeeder>();
        return services;
    }

    /// <summary>
    /// Turns on Npgsql automatic statement preparation (the same few statements run every turn;
    /// https://www.npgsql.org/doc/prepare.html) unless the connection string already sets it.
    /// </summary>
    private static string Tune(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
