using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Billing.Jobs;
using Portal.Billing.Stripe;

namespace Portal.Billing;

/// <summary>Registers billing: options (<c>Billing</c>, <c>Stripe</c>), services and jobs.</summary>
public static class DependencyInjection
{
    /// <summary>Adds billing services. Stripe stays off unless <c>Stripe:SecretKey</c> is set.</summary>
    public static IHostApplicationBuilder AddPortalBilling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(nameof(StripeGateway));
        services.AddSingleton<StripeGateway>();
        services.AddScoped<BillingAccounts>();
        services.AddScoped<CallLimits>();
        services.AddScoped<BillingNotices>();
        services.AddScoped<UsageRecorder>();
        services.AddScoped<BillingService>();
        services.AddScoped<BillingAdministration>();
        services.AddScoped<MeterReporter>();
        services.AddScoped<SelfReferralGuard>();
        services.AddScoped<StripeWebhookProcessor>();
        services.AddScoped<BillingReconciler>();
        services.AddScoped<RecordUsageJob>();
        services.AddScoped<ReportMeterEventsJob>();
        services.AddScoped<ReconcileBillingJob>();
        services.AddScoped<ApproveAffiliateCommissionsJob>();
        // Agencies as Portal's customers (ADR-021): replaces the domain's no-op client-change hook.
        services.AddScoped<Agencies.AgencySubscriptions>();
        services.AddScoped<Portal.Domain.Agencies.IAgencyBillingSync>(sp => sp.GetRequiredService<Agencies.AgencySubscriptions>());
        services.AddScoped<Agencies.AgencyMeterReporter>();
        services.AddScoped<Agencies.AgencyBillingView>();
        return builder;
    }

    /// <summary>Registers the recurring billing jobs (UTC cron); called from the one registration place.</summary>
    public static void AddBillingRecurringJobs(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<ReportMeterEventsJob>(ReportMeterEventsJob.Id, j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        jobs.AddOrUpdate<ReconcileBillingJob>(ReconcileBillingJob.Id, j => j.RunAsync(CancellationToken.None), "30 3 * * *");
        jobs.AddOrUpdate<ApproveAffiliateCommissionsJob>(ApproveAffiliateCommissionsJob.Id, j => j.RunAsync(CancellationToken.None), "15 4 * * *");
    }
}
