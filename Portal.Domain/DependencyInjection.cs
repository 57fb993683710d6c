using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Data;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Numbers;
using Portal.Domain.Onboarding;
using Portal.Domain.Scheduling;
using Portal.Domain.Seeding;
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
        connectionString = TuneConnectionString(connectionString);
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
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), TextInputInterceptor.Instance),
            ServiceLifetime.Scoped);
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        // Several instances over one database: cross-instance cache invalidation and conversation turn locks (ADR-024).
        services.AddSingleton<Instances.CacheInvalidationBus>();
        services.AddSingleton(sp => new Instances.CacheInvalidationListener(connectionString, dataSource,
            sp.GetRequiredService<Instances.CacheInvalidationBus>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Instances.CacheInvalidationListener>>()));
        services.AddHostedService(sp => sp.GetRequiredService<Instances.CacheInvalidationListener>());
        services.AddSingleton(_ => new Instances.ConversationTurnLocks(dataSource, MaxTurnLockHolders(connectionString)));
        services.AddSingleton<BusinessProfileCache>();
        services.AddScoped<SpeechFailureReport>();
        services.AddScoped<Webhooks.IWebhookPublisher, Webhooks.WebhookPublisher>();
        services.AddScoped<Webhooks.WebhookService>();
        services.AddScoped<Scheduling.BookingCommands>();
        services.AddScoped<IBookingStore, EfBookingStore>();
        services.AddScoped<AvailabilityService>();
        services.AddScoped<BookingCalendar>();
        services.AddScoped<OfflineDialogueEngine>();
        services.AddSingleton<TurnLog>();
        services.AddScoped<ConversationService>();
        services.AddScoped<CallConversationService>();
        services.AddScoped<ConversationCustomers>();
        services.AddScoped<ConversationHistory>();
        services.AddScoped<ConversationSearch>();
        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<Agents.AgentSettingsService>();
        services.AddScoped<Customers.CustomerMatcher>();
        services.AddScoped<Customers.CustomerService>();
        services.AddScoped<BusinessSettings.BusinessSettingsService>();
        services.AddScoped<BusinessSettings.ServiceCatalog>();
        services.AddScoped<ConversationMetrics>();
        services.AddScoped<ConsoleSuggestions>();
        services.AddScoped<NumberPool>();
        services.AddScoped<Audit.AuditLog>();
        services.AddScoped<PoolAdministration>();
        services.AddScoped<TenantAdministration>();
        services.AddScoped<PlatformOverview>();
        services.AddScoped<Notifications.DatabaseOutbox>();
        // Email through SMTP when Email:Smtp:Host is set, else into the outbox table (keyless mode); either way messages
        // about an agency's client carry the agency's brand (BrandedOutbox decorates the one that delivers).
        services.AddOptions<Notifications.SmtpOptions>().BindConfiguration(Notifications.SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Notifications.IOutbox>(sp => new Agencies.BrandedOutbox(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Notifications.SmtpOptions>>().Value.Enabled
                ? ActivatorUtilities.CreateInstance<Notifications.SmtpOutbox>(sp)
                : sp.GetRequiredService<Notifications.DatabaseOutbox>(),
            sp.GetRequiredService<Agencies.BrandResolver>()));
        services.AddScoped<Notifications.PlatformNotifier>();
        services.AddScoped<Notifications.NotificationSettings>();
        services.AddScoped<PurchaseBatches>();
        services.AddScoped<Calls.CallRouter>();
        services.AddScoped<TenantProvisioner>();
        services.AddScoped<OnboardingService>();
        Agencies.AgencyServices.AddPortalAgencies(services);
        services.AddScoped<DemoSeeder>();
        services.AddScoped<ApiKeys.ApiKeyService>();
        services.AddScoped<ApiKeys.IApiKeyValidator>(sp => sp.GetRequiredService<ApiKeys.ApiKeyService>());
        services.AddScoped<Brain.Insights.ConversationInsightService>();
        services.AddScoped<Brain.Insights.InsightQueries>();
        services.AddScoped<Brain.Pii.RedactionSettingsService>();
        services.AddScoped<Brain.Ask.AskService>();
        services.AddScoped<Brain.Analytics.AnalyticsService>();
        services.AddScoped<Brain.Mcp.McpTokenService>();
        services.AddScoped<Brain.Mcp.IMcpTokenValidator>(sp => sp.GetRequiredService<Brain.Mcp.McpTokenService>());
        // OpenIddict's stores (applications, authorizations, tokens) on PortalDbContext; the server is wired in the web app (ADR-025).
        services.AddOpenIddict().AddCore(o => o.UseEntityFrameworkCore().UseDbContext<PortalDbContext>());
        services.AddScoped<Brain.Mcp.McpOAuthGrantService>();
        services.AddScoped<Brain.Mcp.McpClientRegistration>();
        // Live chat (website widget, SMS, human takeover); the web layer adds its ILiveChatNotifier.
        services.AddSingleton<LiveChat.StaffPresence>();
        services.AddSingleton<LiveChat.LiveChatStore>();
        services.AddSingleton<LiveChat.HandoverTimer>();
        services.AddScoped<LiveChat.WidgetDirectory>();
        services.AddScoped<LiveChat.WidgetSettingsService>();
        services.AddScoped<LiveChat.LiveChatRelay>();
        services.AddScoped<LiveChat.ChatHandover>();
        services.AddScoped<LiveChat.LiveChatService>();
        services.AddScoped<LiveChat.LiveChatStaffService>();
        services.AddScoped<LiveChat.SmsConversationService>();
        services.TryAddScoped<LiveChat.ISmsSender, LiveChat.OutboxSmsSender>();
        services.AddScoped<Affiliates.AffiliateTracking>();
        services.AddScoped<Affiliates.AffiliateLedger>();
        services.AddScoped<Affiliates.AffiliateApplications>();
        services.AddScoped<Courses.CourseCatalog>();
        services.AddScoped<Courses.StudentArea>();
        services.AddScoped<Courses.CourseEnrollments>();
        return services;
    }

    /// <summary>
    /// Connections the app's data source may hold (Npgsql <c>Maximum Pool Size</c>) when the connection string sets none.
    /// The app's PostgreSQL budget is this plus <c>Portal.Jobs</c>' Hangfire pool (10) plus one unpooled connection that
    /// listens for cache invalidations: 41 of the server's default <c>max_connections</c> of 100, leaving room for a second
    /// instance, migrations and psql (conversation turn locks take their connections from this pool, at most a third of it). Npgsql's own default (100)
    /// let one busy instance exhaust the server ("53300: too many clients"); with a cap, a burst waits in the pool (up to the
    /// connection string's <c>Timeout</c>, 15 s by default) instead of failing. Each statement holds a connection for
    /// milliseconds, so 30 serve hundreds of calls. Raise it with <c>Maximum Pool Size=N</c> in the connection string.
    /// </summary>
    public const int DefaultMaxPoolSize = 30;

    /// <summary>
    /// Applies the connection budget (<see cref="DefaultMaxPoolSize"/>) unless the connection string sets
    /// <c>Maximum Pool Size</c>, and turns on Npgsql automatic statement preparation (the same few statements run every
    /// turn; https://www.npgsql.org/doc/prepare.html) unless it already sets it. Pool settings:
    /// https://www.npgsql.org/doc/connection-string-parameters.html#pooling.
    /// </summary>
    /// <param name="connectionString">The configured Npgsql connection string.</param>
    /// <returns>The connection string the app's data source uses.</returns>
    public static string TuneConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!SetsMaxPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Most conversation turn locks (<see cref="Instances.ConversationTurnLocks"/>) held at once: a third of the pool (at
    /// least 2), so their connections never starve the statements of the turns they serialize.
    /// </summary>
    /// <param name="connectionString">The tuned connection string.</param>
    public static int MaxTurnLockHolders(string connectionString) =>
        Math.Max(2, new Npgsql.NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize / 3);

    /// <summary>True when <paramref name="connectionString"/> names a pool size itself (any of Npgsql's spellings).</summary>
    private static bool SetsMaxPoolSize(string connectionString)
    {
        // A plain builder keeps the keys as written (case-insensitive); Npgsql's would report its default of 100 as if set.
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.ContainsKey("Maximum Pool Size") || raw.ContainsKey("MaxPoolSize");
    }
}
