using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Billing;

/// <summary>Why calls are limited.</summary>
public enum LimitReason
{
    /// <summary>Not limited.</summary>
    None,

    /// <summary>A payment failed and the grace period is over.</summary>
    PastDue,

    /// <summary>The pay-as-you-go spending cap is reached this period.</summary>
    SpendingCap,
}

/// <summary>What to do with a new call: answer normally, or (limited) say <see cref="Message"/> then take a voicemail or forward.</summary>
/// <param name="Reason">Why limited, or <see cref="LimitReason.None"/>.</param>
/// <param name="Action">Voicemail or forward.</param>
/// <param name="ForwardTo">The business's own number (E.164) when forwarding, else null (then voicemail).</param>
/// <param name="Message">What the caller hears first.</param>
public sealed record CallLimitDecision(LimitReason Reason, LimitAction Action, string? ForwardTo, string Message)
{
    /// <summary>Answer normally.</summary>
    public static readonly CallLimitDecision Allow = new(LimitReason.None, LimitAction.Voicemail, null, "");

    /// <summary>Whether the call is limited.</summary>
    public bool IsLimited => Reason != LimitReason.None;
}

/// <summary>A warning shown to the owner before calls are limited.</summary>
/// <param name="Reason">The limit that is coming.</param>
/// <param name="LimitedFrom">When a past-due subscription's grace period ends (calls limited from then), else null.</param>
/// <param name="CapPercent">Share of the spending cap used so far, percent (spending cap warnings), else 0.</param>
public sealed record LimitWarning(LimitReason Reason, DateTimeOffset? LimitedFrom, int CapPercent);

/// <summary>
/// Decides, for each new call, whether billing limits apply. Limits never drop a call: a limited call still hears a
/// polite message and leaves a voicemail or is forwarded. An admin's lift wins over every limit.
/// </summary>
public sealed class CallLimits(
    IDbContextFactory<PortalDbContext> contextFactory, BillingAccounts accounts, IOptions<BillingOptions> options, TimeProvider timeProvider)
{
    /// <summary>Said to callers before the voicemail.</summary>
    public const string VoicemailMessage = "Thanks for calling. We can't take your call right now. Please leave your name, number and a short message after the tone, and we'll call you back.";

    /// <summary>Said to callers before forwarding.</summary>
    public const string ForwardMessage = "Thanks for calling. Please hold while we connect you.";

    /// <summary>The decision for a new call to <paramref name="tenantId"/>.</summary>
    /// <param name="tenantId">The business called.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<CallLimitDecision> DecideAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var reason = await ReasonAsync(tenantId, cancellationToken);
        if (reason.Reason == LimitReason.None)
        {
            return CallLimitDecision.Allow;
        }

        if (reason.Action == LimitAction.Forward && reason.Phone is { } phone)
        {
            return new CallLimitDecision(reason.Reason, LimitAction.Forward, phone, ForwardMessage);
        }

        return new CallLimitDecision(reason.Reason, LimitAction.Voicemail, null, VoicemailMessage);
    }

    /// <summary>
    /// The warning due before a limit applies, or null: a failed payment still inside the grace period
    /// (<see cref="BillingOptions.GraceDays"/>), or a pay-as-you-go bill at <see cref="BillingOptions.CapWarningPercent"/>
    /// of the cap or more. Null while a limit applies (that is not a warning any more) or an admin lift holds.
    /// </summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<LimitWarning?> WarningAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if ((await ReasonAsync(tenantId, cancellationToken)).Reason != LimitReason.None)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant on purpose: callers pass the business (the dashboard passes the current one).
        var plan = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId).Select(t => (Plan?)t.Plan).FirstOrDefaultAsync(cancellationToken);
        var account = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (plan is null || account is null || account.LimitLiftedUntil is { } lifted && lifted > timeProvider.GetUtcNow())
        {
            return null;
        }

        if (account.PastDueSince is { } since)
        {
            return new LimitWarning(LimitReason.PastDue, since.AddDays(options.Value.GraceDays), 0);
        }

        if (plan == Plan.PayAsYouGo && account.SpendingCapCents is { } cap && cap > 0)
        {
            var bill = await accounts.BillSoFarAsync(account, plan.Value, cancellationToken);
            var percent = (int)Math.Min(100, bill.TotalCents * 100 / cap);
            return percent >= options.Value.CapWarningPercent ? new LimitWarning(LimitReason.SpendingCap, null, percent) : null;
        }

        return null;
    }

    /// <summary>Why calls to <paramref name="tenantId"/> are limited now (or <see cref="LimitReason.None"/>), with the owner's action and phone.</summary>
    public async Task<(LimitReason Reason, LimitAction Action, string? Phone)> ReasonAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant on purpose: the webhook decides before (and independently of) the tenant scope.
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Plan, t.Phone }).FirstOrDefaultAsync(cancellationToken);
        var account = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (tenant is null || account is null)
        {
            return (LimitReason.None, LimitAction.Voicemail, null);
        }

        var now = timeProvider.GetUtcNow();
        if (account.LimitLiftedUntil is { } lifted && lifted > now)
        {
            return (LimitReason.None, account.LimitAction, tenant.Phone);
        }

        if (account.PastDueSince is { } since && since.AddDays(options.Value.GraceDays) <= now)
        {
            return (LimitReason.PastDue, account.LimitAction, tenant.Phone);
        }

        if (tenant.Plan == Plan.PayAsYouGo && account.SpendingCapCents is { } cap)
        {
            var bill = await accounts.BillSoFarAsync(account, tenant.Plan, cancellationToken);
            if (bill.TotalCents >= cap)
            {
                return (LimitReason.SpendingCap, account.LimitAction, tenant.Phone);
            }
        }

        return (LimitReason.None, account.LimitAction, tenant.Phone);
    }
}
