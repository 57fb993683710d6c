using Microsoft.EntityFrameworkCore;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Billing;

/// <summary>Usage of one day (in the business's time zone).</summary>
/// <param name="Day">Local date.</param>
/// <param name="Tenths">Billable tenths of a minute.</param>
/// <param name="Calls">Calls.</param>
public sealed record DailyUsage(DateOnly Day, long Tenths, int Calls);

/// <summary>Usage of one agent in the period.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Name">Its name.</param>
/// <param name="Tenths">Billable tenths.</param>
/// <param name="Calls">Calls.</param>
/// <param name="Chats">Chats.</param>
public sealed record AgentUsage(Guid AgentId, string Name, long Tenths, int Calls, int Chats);

/// <summary>An invoice row for the Billing page.</summary>
public sealed record InvoiceRow(string Id, string? Number, string Status, long AmountDueCents, string Currency, string? HostedUrl, string? PdfUrl, DateTimeOffset CreatedAt, bool PaymentFailed);

/// <summary>Everything the owner's Billing page shows, for the current tenant and period.</summary>
public sealed record BillingOverview(
    PlanTerms Terms, bool StripeConfigured, BillingAccount Account, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    BillAmounts SoFar, long ProjectedCents, long TrialTenthsLeft, IReadOnlyList<DailyUsage> Daily, IReadOnlyList<AgentUsage> Agents,
    IReadOnlyList<InvoiceRow> Invoices, LimitReason Limit, IReadOnlyList<Plan> PlansForSale);

/// <summary>
/// The owner's billing operations for the current tenant (<see cref="ITenantContext"/>): the overview, Checkout, the
/// Customer Portal, plan changes (Stripe prorates), the spending cap and the limit action. Keyless (Stripe not
/// configured): the overview works from local usage; Stripe operations throw <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class BillingService(
    IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, BillingAccounts accounts, CallLimits limits, StripeGateway stripe, TimeProvider timeProvider)
{
    private Guid TenantId => tenantContext.TenantId ?? throw new InvalidOperationException("No current business.");

    /// <summary>The overview of the current period.</summary>
    /// <param name="timeZone">The business's time zone (days are its local days).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<BillingOverview> OverviewAsync(TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var tenantId = TenantId;
        var account = await accounts.GetOrOpenAsync(tenantId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).FirstAsync(cancellationToken);
        var (start, end) = accounts.PeriodOf(account);
        var bill = await accounts.BillSoFarAsync(account, plan, cancellationToken);
        var trialUsedBefore = await db.UsageRecords.Where(u => u.StartedAt < start).SumAsync(u => (long)u.BillableTenths, cancellationToken);
        var trialLeft = Math.Max(0, (account.TrialMinutes * 10L) - trialUsedBefore - bill.TrialTenths);
        var rows = await db.UsageRecords.AsNoTracking().Where(u => u.StartedAt >= start && u.StartedAt < end)
            .Select(u => new { u.StartedAt, u.BillableTenths, u.AgentPersonaId, u.Channel }).ToListAsync(cancellationToken);
        var daily = rows.Where(r => r.Channel == Channel.Voice)
            .GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.StartedAt, timeZone).DateTime))
            .OrderBy(g => g.Key).Select(g => new DailyUsage(g.Key, g.Sum(r => (long)r.BillableTenths), g.Count())).ToList();
        var names = await db.AgentPersonas.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var agents = rows.GroupBy(r => r.AgentPersonaId)
            .Select(g => new AgentUsage(g.Key, names.GetValueOrDefault(g.Key, "Removed agent"), g.Sum(r => (long)r.BillableTenths),
                g.Count(r => r.Channel == Channel.Voice), g.Count(r => r.Channel != Channel.Voice)))
            .OrderByDescending(a => a.Tenths).ToList();
        var invoices = await db.BillingInvoices.AsNoTracking().OrderByDescending(i => i.StripeCreatedAt).Take(24)
            .Select(i => new InvoiceRow(i.StripeInvoiceId, i.Number, i.Status, i.AmountDueCents, i.Currency, i.HostedUrl, i.PdfUrl, i.StripeCreatedAt, i.PaymentFailed))
            .ToListAsync(cancellationToken);
        var overageProjected = BillingMath.Project(bill.OverageCents, start, end, timeProvider.GetUtcNow());
        var projected = Math.Max(0, bill.MinimumCents + overageProjected - bill.CreditCents);
        var (limit, _, _) = await limits.ReasonAsync(tenantId, cancellationToken);
        var forSale = Enum.GetValues<Plan>().Where(p => stripe.IsConfigured && stripe.Options.CanSell(p)).ToList();
        return new BillingOverview(PlanTerms.Of(plan), stripe.IsConfigured, account, start, end, bill, projected, trialLeft, daily, agents, invoices, limit, forSale);
    }

    /// <summary>
    /// Starts Checkout for <paramref name="plan"/>: the business's Stripe customer is created on first use. When it already
    /// has a live subscription the plan is changed in place (Stripe prorates) and null is returned.
    /// </summary>
    /// <returns>The hosted Checkout URL to send the owner to, or null when the plan was changed in place.</returns>
    /// <exception cref="InvalidOperationException">The business is an agency's client (its agency bills it; ADR-021).</exception>
    public async Task<string?> StartCheckoutAsync(Plan plan, string successUrl, string cancelUrl, CancellationToken cancellationToken)
    {
        var tenantId = TenantId;
        await RefuseAgencyClientAsync(cancellationToken);
        var account = await EnsureCustomerAsync(tenantId, cancellationToken);
        if (account.StripeSubscriptionId is { } subscription && account.SubscriptionStatus is "active" or "trialing" or "past_due")
        {
            await stripe.ChangePlanAsync(subscription, plan, cancellationToken);
            return null;
        }

        return await stripe.CreateCheckoutAsync(tenantId, account.StripeCustomerId!, plan, successUrl, cancelUrl, cancellationToken);
    }

    /// <summary>A Customer Portal URL for payment methods and invoices.</summary>
    /// <exception cref="InvalidOperationException">The business is an agency's client.</exception>
    public async Task<string> PortalUrlAsync(string returnUrl, CancellationToken cancellationToken)
    {
        await RefuseAgencyClientAsync(cancellationToken);
        var account = await EnsureCustomerAsync(TenantId, cancellationToken);
        return await stripe.CreatePortalSessionAsync(account.StripeCustomerId!, returnUrl, cancellationToken);
    }

    /// <summary>
    /// Whether the current business is an agency's client: its agency is Portal's customer and charges it at its own
    /// price (ADR-021), so the business neither subscribes nor pays Portal itself.
    /// </summary>
    public async Task<bool> ManagedByAgencyAsync(CancellationToken cancellationToken)
    {
        var tenantId = TenantId;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.AgencyId != null).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task RefuseAgencyClientAsync(CancellationToken cancellationToken)
    {
        if (await ManagedByAgencyAsync(cancellationToken))
        {
            throw new InvalidOperationException("This business's plan is managed by its provider; it bills the business directly.");
        }
    }

    /// <summary>Copies the latest invoices from Stripe into the local list (Stripe is the source of truth). No-op keyless.</summary>
    /// <returns>How many were copied.</returns>
    public async Task<int> SyncInvoicesAsync(CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(TenantId, cancellationToken);
        if (!stripe.IsConfigured || account.StripeCustomerId is null)
        {
            return 0;
        }

        var invoices = await stripe.ListInvoicesAsync(account.StripeCustomerId, 24, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.BillingInvoices.ToDictionaryAsync(i => i.StripeInvoiceId, cancellationToken);
        foreach (var invoice in invoices)
        {
            if (!known.TryGetValue(invoice.Id, out var row))
            {
                row = new BillingInvoice { TenantId = account.TenantId, StripeInvoiceId = invoice.Id };
                db.BillingInvoices.Add(row);
            }

            row.Number = invoice.Number;
            row.Status = invoice.Status ?? row.Status;
            row.AmountDueCents = invoice.AmountDue;
            row.AmountPaidCents = invoice.AmountPaid;
            row.Currency = invoice.Currency ?? "usd";
            row.HostedUrl = invoice.HostedInvoiceUrl;
            row.PdfUrl = invoice.InvoicePdf;
            row.PaymentFailed = row.PaymentFailed && invoice.Status != "paid";
            row.StripeCreatedAt = new DateTimeOffset(DateTime.SpecifyKind(invoice.Created, DateTimeKind.Utc));
        }

        await db.SaveChangesAsync(cancellationToken);
        return invoices.Count;
    }

    /// <summary>Sets (or clears, with null) the pay-as-you-go monthly spending cap.</summary>
    /// <param name="capCents">Cap in cents, 100 ($1) to 10,000,000 ($100,000), or null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range; nothing changes.</exception>
    public async Task SetSpendingCapAsync(int? capCents, CancellationToken cancellationToken)
    {
        if (capCents is < 100 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(capCents), capCents, "The cap must be between $1 and $100,000.");
        }

        await accounts.UpdateAsync(TenantId, a => a.SpendingCapCents = capCents, cancellationToken);
    }

    /// <summary>Sets what limited calls do.</summary>
    public Task SetLimitActionAsync(LimitAction action, CancellationToken cancellationToken) =>
        accounts.UpdateAsync(TenantId, a => a.LimitAction = action, cancellationToken);

    private async Task<BillingAccount> EnsureCustomerAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(tenantId, cancellationToken);
        if (account.StripeCustomerId is not null)
        {
            return account;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).FirstAsync(cancellationToken);
        var email = await db.Users.Where(u => u.TenantId == tenantId && u.Email != null).OrderBy(u => u.Email).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        var customerId = await stripe.CreateCustomerAsync(tenantId, name, email, cancellationToken);
        return await accounts.UpdateAsync(tenantId, a => a.StripeCustomerId ??= customerId, cancellationToken);
    }
}
