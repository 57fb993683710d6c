using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;
using Portal.Domain.Courses;
using Stripe;
using Plan = Portal.Data.Entities.Plan;
using Stripe.Checkout;

namespace Portal.Billing.Stripe;

/// <summary>What became of a webhook delivery.</summary>
public enum WebhookOutcome
{
    /// <summary>Signature missing, wrong or too old (or not configured): 400, nothing stored.</summary>
    Rejected,

    /// <summary>Verified, stored and applied (or recorded as stale/irrelevant).</summary>
    Applied,

    /// <summary>An event id already stored: nothing changes.</summary>
    Duplicate,
}

/// <summary>
/// Verifies, stores and applies Stripe webhook events (https://docs.stripe.com/webhooks). The signature is checked by
/// <see cref="EventUtility.ConstructEvent(string, string, string, long, long, bool)"/> (<c>Stripe-Signature</c>,
/// HMAC-SHA256 of <c>t.payload</c>, tolerance 300 s, https://docs.stripe.com/webhooks#verify-events). Each event is
/// stored under its id in the same transaction that applies it, so a redelivery changes nothing. Order-safe:
/// subscription state only moves to an event at least as new (Stripe <c>created</c>) as the last applied, and an invoice
/// never leaves <c>paid</c>.
/// </summary>
public sealed class StripeWebhookProcessor(
    IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, BillingNotices notices, SelfReferralGuard selfReferrals, TimeProvider timeProvider, ILogger<StripeWebhookProcessor> logger)
{
    /// <summary>Signature tolerance, seconds (Stripe's default).</summary>
    public const long ToleranceSeconds = 300;

    /// <summary>Verifies and applies one delivery.</summary>
    /// <param name="payload">The raw request body (UTF-8 JSON), exactly as received.</param>
    /// <param name="signatureHeader">The <c>Stripe-Signature</c> header.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<WebhookOutcome> HandleAsync(string payload, string? signatureHeader, CancellationToken cancellationToken)
    {
        var secret = stripe.Options.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return WebhookOutcome.Rejected;
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signatureHeader, secret, ToleranceSeconds, timeProvider.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            logger.LogWarning("Stripe webhook rejected: {Reason}", ex.Message);
            return WebhookOutcome.Rejected;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.StripeWebhookEvents.AnyAsync(e => e.Id == stripeEvent.Id, cancellationToken))
        {
            logger.LogInformation("Stripe event {EventId} ({EventType}) already received", stripeEvent.Id, stripeEvent.Type);
            return WebhookOutcome.Duplicate;
        }

        // The primary key still decides a race between two deliveries of the same event.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)).ToUnixTimeSeconds();
        var row = new StripeWebhookEvent { Id = stripeEvent.Id, Type = stripeEvent.Type, Created = created, ReceivedAt = timeProvider.GetUtcNow(), Payload = payload };
        db.StripeWebhookEvents.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            logger.LogInformation("Stripe event {EventId} ({EventType}) already received", stripeEvent.Id, stripeEvent.Type);
            return WebhookOutcome.Duplicate;
        }

        var (outcome, tenantId, failedAmount) = await ApplyAsync(db, stripeEvent, created, selfReferrals, cancellationToken);
        row.Outcome = outcome;
        row.TenantId = tenantId;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Stripe event {EventId} ({EventType}): {Outcome}", stripeEvent.Id, stripeEvent.Type, outcome);
        if (failedAmount is { } amount && tenantId is { } tenant)
        {
            await notices.PaymentFailedAsync(tenant, amount, cancellationToken);
        }

        return WebhookOutcome.Applied;
    }

    private static async Task<(string Outcome, Guid? TenantId, long? FailedAmount)> ApplyAsync(PortalDbContext db, Event e, long created, SelfReferralGuard selfReferrals, CancellationToken ct)
    {
        switch (e.Data.Object)
        {
            case Session session when e.Type == EventTypes.CheckoutSessionCompleted && session.Mode != "payment":
            {
                var account = await AccountAsync(db, session.CustomerId, session.Metadata, ct);
                if (account is null)
                {
                    return ("unknown customer", null, null);
                }

                account.StripeCustomerId ??= session.CustomerId;
                account.HasPaymentMethod = true;
                if (session.SubscriptionId is { } subscriptionId && account.StripeSubscriptionId is null)
                {
                    account.StripeSubscriptionId = subscriptionId;
                }

                await ApplyPlanAsync(db, account.TenantId, session.Metadata, ct);
                return ("applied", account.TenantId, null);
            }

            case Subscription subscription when e.Type.StartsWith("customer.subscription.", StringComparison.Ordinal):
            {
                var account = await AccountAsync(db, subscription.CustomerId, subscription.Metadata, ct);
                if (account is null)
                {
                    return ("unknown customer", null, null);
                }

                // Out of order: an event older than the last one applied says nothing new.
                if (created < account.SubscriptionEventCreated)
                {
                    return ("stale", account.TenantId, null);
                }

                account.SubscriptionEventCreated = created;
                account.StripeSubscriptionId = subscription.Id;
                account.SubscriptionStatus = e.Type == EventTypes.CustomerSubscriptionDeleted ? "canceled" : subscription.Status;
                if (subscription.Items?.Data.FirstOrDefault() is { } item)
                {
                    account.CurrentPeriodStart = Utc(item.CurrentPeriodStart);
                    account.CurrentPeriodEnd = Utc(item.CurrentPeriodEnd);
                }

                if (Enum.TryParse<Plan>(subscription.Metadata?.GetValueOrDefault("plan"), out var plan))
                {
                    account.SubscribedPlan = plan;
                    if (account.SubscriptionStatus is "active" or "trialing" or "past_due")
                    {
                        await ApplyPlanAsync(db, account.TenantId, subscription.Metadata, ct);
                    }
                }

                return ("applied", account.TenantId, null);
            }

            case Invoice invoice when e.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed or EventTypes.InvoiceFinalized:
            {
                var account = await AccountAsync(db, invoice.CustomerId, invoice.Metadata, ct);
                if (account is null)
                {
                    return ("unknown customer", null, null);
                }

                var stored = await db.BillingInvoices.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.StripeInvoiceId == invoice.Id, ct);
                if (stored is null)
                {
                    stored = new BillingInvoice { TenantId = account.TenantId, StripeInvoiceId = invoice.Id };
                    db.BillingInvoices.Add(stored);
                }

                if (stored.Status == "paid")
                {
                    // Paid is final: a late finalized or payment_failed changes nothing.
                    return ("stale", account.TenantId, null);
                }

                Copy(invoice, stored);
                if (e.Type == EventTypes.InvoicePaid)
                {
                    stored.Status = "paid";
                    stored.PaymentFailed = false;
                    account.HasPaymentMethod = true;
                    var stillFailing = await db.BillingInvoices.IgnoreQueryFilters()
                        .AnyAsync(i => i.TenantId == account.TenantId && i.PaymentFailed && i.StripeInvoiceId != invoice.Id, ct);
                    account.PastDueSince = stillFailing ? account.PastDueSince : null;
                    if (await selfReferrals.IsSelfReferralAsync(db, account.TenantId, invoice.CustomerId ?? account.StripeCustomerId, ct))
                    {
                        return ("applied; no commission: self-referral", account.TenantId, null);
                    }

                    await AffiliateLedger.EarnForTenantAsync(db, account.TenantId, invoice.Id, invoice.AmountPaid, DateTimeOffset.FromUnixTimeSeconds(created), ct);
                    return ("applied", account.TenantId, null);
                }

                if (e.Type == EventTypes.InvoicePaymentFailed)
                {
                    var first = !stored.PaymentFailed;
                    stored.PaymentFailed = true;
                    account.PastDueSince ??= DateTimeOffset.FromUnixTimeSeconds(created);
                    return ("applied", account.TenantId, first ? invoice.AmountDue : null);
                }

                return ("applied", account.TenantId, null);
            }

            case CreditNote creditNote when e.Type == "credit_note.created" && creditNote.InvoiceId is not null:
            {
                // A refund of a paid invoice is a credit note (https://docs.stripe.com/invoicing/dashboard/credit-notes):
                // the refunded share of the invoice's affiliate commission is reversed.
                var reversed = await AffiliateLedger.ReverseAsync(db, creditNote.InvoiceId, creditNote.Total, ct);
                return (reversed > 0 ? "commission reversed" : "applied", null, null);
            }

            case Session session when e.Type == EventTypes.CheckoutSessionCompleted && session.Mode == "payment":
                return (await CourseCheckout.CompleteAsync(db, session.Id, session.AmountTotal ?? 0, DateTimeOffset.FromUnixTimeSeconds(created), ct), null, null);

            default:
                return ("ignored", null, null);
        }
    }

    private static void Copy(Invoice invoice, BillingInvoice stored)
    {
        stored.Number = invoice.Number;
        stored.Status = invoice.Status ?? stored.Status;
        stored.AmountDueCents = invoice.AmountDue;
        stored.AmountPaidCents = invoice.AmountPaid;
        stored.Currency = invoice.Currency ?? "usd";
        stored.HostedUrl = invoice.HostedInvoiceUrl;
        stored.PdfUrl = invoice.InvoicePdf;
        stored.StripeCreatedAt = Utc(invoice.Created);
    }

    private static async Task<BillingAccount?> AccountAsync(PortalDbContext db, string? customerId, IDictionary<string, string>? metadata, CancellationToken ct)
    {
        // Webhooks are platform work: the business is found by its Stripe customer, or the tenant id we put in metadata.
        if (customerId is not null && await db.BillingAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.StripeCustomerId == customerId, ct) is { } byCustomer)
        {
            return byCustomer;
        }

        return Guid.TryParse((metadata is not null && metadata.TryGetValue("tenant_id", out var t) ? t : null), out var tenantId)
            ? await db.BillingAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.TenantId == tenantId, ct)
            : null;
    }

    private static async Task ApplyPlanAsync(PortalDbContext db, Guid tenantId, IDictionary<string, string>? metadata, CancellationToken ct)
    {
        if (Enum.TryParse<Plan>((metadata is not null && metadata.TryGetValue("plan", out var p) ? p : null), out var plan))
        {
            await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId && t.Plan != plan).ExecuteUpdateAsync(s => s.SetProperty(t => t.Plan, plan), ct);
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
