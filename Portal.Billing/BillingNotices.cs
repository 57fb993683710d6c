using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Notifications;

namespace Portal.Billing;

/// <summary>Outbox categories of billing notices.</summary>
public static class BillingOutboxCategories
{
    /// <summary>The spending cap is nearly reached.</summary>
    public const string CapWarning = "billing.cap-warning";

    /// <summary>Calls are now limited (voicemail or forward).</summary>
    public const string Limited = "billing.limited";

    /// <summary>A payment failed.</summary>
    public const string PaymentFailed = "billing.payment-failed";

    /// <summary>Reconciliation found usage drift (to admins).</summary>
    public const string Drift = "billing.drift";
}

/// <summary>
/// Tells owners about money before and when it matters: the cap nearly reached, calls limited, a failed payment. Each
/// notice is sent once per billing period (the account remembers the period key). Email through the <see cref="IOutbox"/>.
/// </summary>
public sealed class BillingNotices(
    IDbContextFactory<PortalDbContext> contextFactory, IOutbox outbox, NotificationSettings notificationSettings, BillingAccounts accounts, IServiceProvider services, IOptions<BillingOptions> options)
{
    /// <summary>Checks the business's cap and limits and sends the notices due (at most one of each per period).</summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="cancellationToken">Cancels the reads and writes.</param>
    /// <returns>How many emails were queued.</returns>
    public async Task<int> CheckLimitsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(tenantId, cancellationToken);
        var key = accounts.PeriodOf(account).Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // CallLimits depends on BillingAccounts only; resolved lazily to keep the constructor graph acyclic.
        var limits = (CallLimits)services.GetService(typeof(CallLimits))!;
        var (reason, action, _) = await limits.ReasonAsync(tenantId, cancellationToken);
        if (reason != LimitReason.None)
        {
            if (account.LimitNoticeSentFor == key)
            {
                return 0;
            }

            await accounts.UpdateAsync(tenantId, a => a.LimitNoticeSentFor = key, cancellationToken);
            var why = reason == LimitReason.SpendingCap ? "your monthly spending cap is reached" : "a payment is overdue";
            var what = action == LimitAction.Forward ? "forwarded to your own number" : "asked to leave a voicemail";
            return await EmailOwnersAsync(tenantId, "Calls are being sent to voicemail or forwarded",
                $"Because {why}, new calls are now answered with a short message and {what}. No call is dropped.\n\nOpen Billing in Portal to raise the cap or update your payment method.",
                BillingOutboxCategories.Limited, cancellationToken);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId).Select(t => t.Plan).FirstAsync(cancellationToken);
        if (plan != Plan.PayAsYouGo || account.SpendingCapCents is not { } cap || account.CapWarningSentFor == key)
        {
            return 0;
        }

        var bill = await accounts.BillSoFarAsync(account, plan, cancellationToken);
        if (bill.TotalCents * 100 < (long)cap * options.Value.CapWarningPercent)
        {
            return 0;
        }

        await accounts.UpdateAsync(tenantId, a => a.CapWarningSentFor = key, cancellationToken);
        return await EmailOwnersAsync(tenantId, "Your spending cap is nearly reached",
            string.Create(CultureInfo.InvariantCulture, $"You have used ${bill.TotalCents / 100m:0.00} of your ${cap / 100m:0.00} monthly cap. When it is reached, new calls get a short message and voicemail instead of your agent.\n\nOpen Billing in Portal to raise the cap."),
            BillingOutboxCategories.CapWarning, cancellationToken);
    }

    /// <summary>Tells the owners a payment failed.</summary>
    public Task<int> PaymentFailedAsync(Guid tenantId, long amountCents, CancellationToken cancellationToken) =>
        EmailOwnersAsync(tenantId, "A payment failed",
            string.Create(CultureInfo.InvariantCulture, $"We could not collect ${amountCents / 100m:0.00}. Please update your payment method in Billing within {options.Value.GraceDays} days; after that new calls are sent to voicemail."),
            BillingOutboxCategories.PaymentFailed, cancellationToken);

    /// <summary>Emails every platform admin.</summary>
    public async Task<int> EmailAdminsAsync(string subject, string body, string category, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var admins = await (from u in db.Users
                            join ur in db.UserRoles on u.Id equals ur.UserId
                            join r in db.Roles on ur.RoleId equals r.Id
                            where r.Name == Portal.Data.Identity.Roles.PlatformAdmin && u.Email != null
                            select u.Email!).Distinct().ToListAsync(cancellationToken);
        foreach (var email in admins)
        {
            await outbox.SendEmailAsync(email, subject, body, category, null, cancellationToken);
        }

        return admins.Count;
    }

    private async Task<int> EmailOwnersAsync(Guid tenantId, string subject, string body, string category, CancellationToken cancellationToken)
    {
        // Whoever Settings → Notifications names for billing (by default the owners).
        var targets = await notificationSettings.TargetsAsync(tenantId, Portal.Data.Entities.NotificationEvent.BillingLimit, cancellationToken);
        foreach (var email in targets.Emails)
        {
            await outbox.SendEmailAsync(email, subject, body, category, tenantId, cancellationToken);
        }

        foreach (var phone in targets.Phones)
        {
            var sms = $"Portal: {subject}";
            await outbox.SendSmsAsync(phone, sms.Length > Portal.Data.Entities.OutboxMessage.SmsMaxLength ? sms[..(Portal.Data.Entities.OutboxMessage.SmsMaxLength - 1)] + "…" : sms, category, tenantId, cancellationToken);
        }

        return targets.Emails.Count + targets.Phones.Count;
    }
}
