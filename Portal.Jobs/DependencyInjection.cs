using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Domain;
using Portal.Jobs.Calls;
using Portal.Jobs.Conversations;
using Portal.Jobs.Knowledge;
using Portal.Jobs.Numbers;

namespace Portal.Jobs;

/// <summary>Registers Hangfire on PostgreSQL storage in the same process, and the recurring jobs.</summary>
public static class DependencyInjection
{
    /// <summary>Role allowed to open the dashboard.</summary>
    public const string DashboardRole = "PlatformAdmin";

    /// <summary>Connections Hangfire's storage may hold (Npgsql <c>Maximum Pool Size</c> of its own pool), whatever the connection string says.</summary>
    public const int HangfireMaxPoolSize = 10;

    /// <summary>Adds Hangfire (storage in the Portal database, schema <c>hangfire</c>) and the job server unless <c>Jobs:RunServer</c> is false.</summary>
    public static IHostApplicationBuilder AddPortalJobs(this IHostApplicationBuilder builder)
    {
        // Hangfire opens its own connections (not through the app's data source): its own small pool, part of the app's
        // PostgreSQL budget (Domain.DependencyInjection.DefaultMaxPoolSize explains it). Two workers and the server's
        // few background processes each hold a connection only for a statement or a fetch.
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString(Domain.DependencyInjection.ConnectionStringName)!)
        {
            MaxPoolSize = HangfireMaxPoolSize,
        }.ConnectionString;

        // Hangfire keeps its storage, job activator and log provider in process-wide statics, and its AddHangfire reads a
        // host's storage and activator back from them. In a process with several hosts (the test servers) a host could get
        // the storage of another host configured in between, or a logger from the logging of a host since disposed (an
        // enqueue then failed: a 500). Each host gets its own storage and activator here, and every host's Hangfire log
        // goes through one provider that writes to a host still alive (HangfireLogging). It is installed before anything
        // of Hangfire is made, the global job filters included.
        GlobalConfiguration.Configuration.UseLogProvider(HangfireLogging.Instance);
        FailedJobsMetric.RegisterOnce();
        var storageOptions = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        builder.Services.AddSingleton(sp => HangfireLogging.Instance.Attach(sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((sp, config) =>
        {
            // AddHangfire has just made this host's logger factory the provider; the shared one replaces it.
            _ = sp.GetRequiredService<HangfireLogging.Attachment>();
            config.UseLogProvider(HangfireLogging.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(sp.GetRequiredService<JobStorage>());
        });
        if (builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHangfireServer(options => options.WorkerCount = Math.Max(2, Environment.ProcessorCount));
            builder.Services.AddHostedService<RecurringJobRegistration>();
        }

        builder.Services.AddScoped<ReleaseExpiredReservationsJob>();
        builder.Services.AddScoped<CloseOrphanedCallsJob>();
        builder.Services.AddScoped<CloseIdleChatsJob>();
        builder.Services.AddScoped<PortalWebhookUrls>();
        builder.Services.AddScoped<PurchaseNumbersJob>();
        builder.Services.AddScoped<NumberPurchasing>();
        builder.Services.AddScoped<PoolReconciler>();
        builder.Services.AddScoped<ReconcileNumbersJob>();
        builder.Services.AddScoped<ReleaseNumberAtProviderJob>();
        builder.Services.AddScoped<NumberRetirement>();
        builder.Services.AddScoped<IndexKnowledgeDocumentJob>();
        builder.Services.AddScoped<EmbedMissingChunksJob>();
        builder.Services.AddScoped<BackfillEmbeddingsJob>();
        builder.Services.AddScoped<ResumeStalledKnowledgeJob>();
        builder.Services.AddSingleton<Rag.Ingestion.IKnowledgeJobQueue, HangfireKnowledgeJobQueue>();
        builder.Services.AddScoped<Brain.AnalyzeConversationsJob>();
        AddWebhookDelivery(builder);
        return builder;
    }

    /// <summary>Outbound webhooks: options, the Hangfire queue, the delivery and sweep jobs, the SSRF-guarded client.</summary>
    private static void AddWebhookDelivery(IHostApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<Domain.Webhooks.WebhookOptions>().BindConfiguration(Domain.Webhooks.WebhookOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.AllowLoopback || environment.IsDevelopment() || environment.IsEnvironment("Testing"), "Webhooks:AllowLoopback is for tests and Development only.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Domain.Webhooks.IWebhookDeliveryQueue, Webhooks.HangfireWebhookDeliveryQueue>();
        builder.Services.AddScoped<Domain.Webhooks.IWebhookUrlChecker, Webhooks.GuardedWebhookUrlChecker>();
        builder.Services.AddScoped<Webhooks.DeliverWebhookJob>();
        builder.Services.AddScoped<Webhooks.EnqueueDueWebhooksJob>();
        builder.Services.AddHttpClient(Webhooks.DeliverWebhookJob.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Rag.Crawling.PublicAddressGuard>().CreateHandler());
    }

    /// <summary>Maps the Hangfire dashboard at <c>/admin/jobs</c>, platform admins only.</summary>
    public static IEndpointRouteBuilder MapPortalJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [new PlatformAdminDashboardFilter()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Portal jobs",
        });

        return app;
    }

    private sealed class PlatformAdminDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.User.Identity?.IsAuthenticated != true)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return false;
            }

            return http.User.IsInRole(DashboardRole);
        }
    }
}

/// <summary>Registers every recurring job in one place (UTC cron), at startup.</summary>
/// <remarks>
/// Also enqueues one startup run of <see cref="CloseOrphanedCallsJob"/> for the calls a crashed process left open: they are
/// closed within a Hangfire poll of the restart instead of after the idle time.
/// </remarks>
internal sealed class RecurringJobRegistration(IRecurringJobManager jobs, IBackgroundJobClient background, TimeProvider timeProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<ReleaseExpiredReservationsJob>(ReleaseExpiredReservationsJob.Id, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        // Every minute: a call whose instance died (no heartbeat for CallLiveness.StaleAfter) is closed within about 3 minutes.
        jobs.AddOrUpdate<CloseOrphanedCallsJob>(CloseOrphanedCallsJob.Id, j => j.RunAsync(null, CancellationToken.None), "* * * * *");
        jobs.AddOrUpdate<CloseIdleChatsJob>(CloseIdleChatsJob.Id, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        var startedAt = timeProvider.GetUtcNow();
        background.Enqueue<CloseOrphanedCallsJob>(j => j.RunAsync(startedAt, CancellationToken.None));
        jobs.AddOrUpdate<ReconcileNumbersJob>(ReconcileNumbersJob.Id, j => j.RunAsync(CancellationToken.None), "17 * * * *");
        jobs.AddOrUpdate<ResumeStalledKnowledgeJob>(ResumeStalledKnowledgeJob.Id, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        jobs.AddOrUpdate<BackfillEmbeddingsJob>(BackfillEmbeddingsJob.Id, j => j.RunAsync(CancellationToken.None), "41 * * * *");
        Billing.DependencyInjection.AddBillingRecurringJobs(jobs);
        // Once now as well: after an upgrade (or a model change) stored chunks get their vectors without waiting an hour.
        jobs.Trigger(BackfillEmbeddingsJob.Id);
        jobs.AddOrUpdate<Webhooks.EnqueueDueWebhooksJob>(Webhooks.EnqueueDueWebhooksJob.Id, j => j.RunAsync(CancellationToken.None), "* * * * *");
        jobs.AddOrUpdate<Brain.AnalyzeConversationsJob>(Brain.AnalyzeConversationsJob.Id, j => j.RunAsync(CancellationToken.None), "* * * * *");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
