using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;
using Stripe;
using Plan = Portal.Data.Entities.Plan;
using Stripe.Billing;
using Stripe.Checkout;

namespace Portal.Billing.Stripe;

/// <summary>A meter event to send: a stable <c>identifier</c> (the call's id for a business), so a resend is never billed twice.</summary>
/// <param name="Identifier">The conversation id, or an agency overage event's identifier.</param>
/// <param name="CustomerId">Stripe customer (<c>cus_…</c>).</param>
/// <param name="Value">The meter's unit: billable tenths of a minute for a business's call, whole overage minutes for an agency.</param>
/// <param name="Timestamp">When the usage happened (Stripe accepts the past 35 days).</param>
/// <param name="EventName">The meter's event name; null for <see cref="StripeOptions.MeterEventName"/> (businesses' calls).</param>
public sealed record MeterEventRequest(string Identifier, string CustomerId, long Value, DateTimeOffset Timestamp, string? EventName = null);

/// <summary>One wanted subscription item: a price and, for a licensed price, its quantity (null for a metered price).</summary>
/// <param name="PriceId">Stripe price (<c>price_…</c>).</param>
/// <param name="Quantity">Units (licensed), or null (metered).</param>
public sealed record SubscriptionItemWant(string PriceId, long? Quantity);

/// <summary>
/// Every Stripe API call Portal makes, through <c>Stripe.net</c> (the real client) on one <see cref="StripeClient"/>
/// whose <c>ApiBase</c> comes from <see cref="StripeOptions"/> (tests point it at the fake). API reference:
/// https://docs.stripe.com/api (customers, checkout/sessions, subscriptions, billing_portal/sessions,
/// billing/meter_events, billing/meters/{id}/event_summaries, invoices). Throws <see cref="InvalidOperationException"/>
/// when Stripe is not configured and <see cref="StripeException"/> on an API error.
/// </summary>
public sealed class StripeGateway
{
    private readonly StripeOptions _options;
    private readonly StripeClient? _client;

    /// <summary>Creates the gateway; no client when keyless.</summary>
    public StripeGateway(IOptions<StripeOptions> options, IHttpClientFactory httpClients)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClients);
        _options = options.Value;
        if (_options.IsConfigured)
        {
            var apiBase = string.IsNullOrWhiteSpace(_options.ApiBase) ? null : _options.ApiBase.TrimEnd('/');
            // Stripe.net retries network errors and 409/429/5xx itself (with Idempotency-Key on POSTs): two retries.
            _client = new StripeClient(_options.SecretKey, httpClient: new SystemNetHttpClient(httpClients.CreateClient(nameof(StripeGateway)), 2),
                apiBase: apiBase, meterEventsBase: apiBase);
        }
    }

    /// <summary>Whether Stripe is configured.</summary>
    public bool IsConfigured => _client is not null;

    /// <summary>The options in force.</summary>
    public StripeOptions Options => _options;

    private StripeClient Client => _client ?? throw new InvalidOperationException("Stripe is not configured (Stripe:SecretKey).");

    /// <summary>Creates a customer for a business (<c>POST /v1/customers</c>), tagged with its tenant id.</summary>
    /// <returns>The customer id.</returns>
    public async Task<string> CreateCustomerAsync(Guid tenantId, string name, string? email, CancellationToken cancellationToken)
    {
        var customer = await new CustomerService(Client).CreateAsync(new CustomerCreateOptions
        {
            Name = name,
            Email = email,
            Metadata = new Dictionary<string, string> { ["tenant_id"] = tenantId.ToString() },
        }, new RequestOptions { IdempotencyKey = "customer-" + tenantId }, cancellationToken);
        return customer.Id;
    }

    /// <summary>Creates an agency's customer (<c>POST /v1/customers</c>), tagged with its agency id; idempotent per agency.</summary>
    /// <returns>The customer id.</returns>
    public async Task<string> CreateAgencyCustomerAsync(Guid agencyId, string name, string? email, CancellationToken cancellationToken)
    {
        var customer = await new CustomerService(Client).CreateAsync(new CustomerCreateOptions
        {
            Name = name,
            Email = email,
            Metadata = new Dictionary<string, string> { ["agency_id"] = agencyId.ToString() },
        }, new RequestOptions { IdempotencyKey = "agency-customer-" + agencyId }, cancellationToken);
        return customer.Id;
    }

    /// <summary>
    /// Creates an agency's wholesale subscription (<c>POST /v1/subscriptions</c>, https://docs.stripe.com/api/subscriptions/create)
    /// with <paramref name="items"/>, invoiced (<c>collection_method=send_invoice</c>, <c>days_until_due</c> =
    /// <paramref name="daysUntilDue"/>): Stripe emails each month's invoice and the agency pays it on the hosted invoice
    /// page. Idempotent per agency for Stripe's 24 hours, so two racing first clients make one subscription.
    /// </summary>
    /// <returns>The subscription id.</returns>
    public async Task<string> CreateAgencySubscriptionAsync(Guid agencyId, string customerId, IReadOnlyList<SubscriptionItemWant> items, int daysUntilDue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var subscription = await new SubscriptionService(Client).CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customerId,
            Items = [.. items.Select(i => new SubscriptionItemOptions { Price = i.PriceId, Quantity = i.Quantity })],
            CollectionMethod = "send_invoice",
            DaysUntilDue = daysUntilDue,
            Metadata = new Dictionary<string, string> { ["agency_id"] = agencyId.ToString() },
        }, new RequestOptions { IdempotencyKey = "agency-subscription-" + agencyId }, cancellationToken);
        return subscription.Id;
    }

    /// <summary>
    /// Brings a subscription's items to <paramref name="wanted"/> (<c>POST /v1/subscriptions/{id}</c> with prorations):
    /// a licensed item whose quantity differs is set to the wanted absolute quantity, a missing price is added; other
    /// items stay. Absolute quantities make a repeat harmless (the second call changes nothing).
    /// </summary>
    /// <returns>Whether anything was sent.</returns>
    public async Task<bool> SetSubscriptionItemsAsync(string subscriptionId, IReadOnlyList<SubscriptionItemWant> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var service = new SubscriptionService(Client);
        var current = await service.GetAsync(subscriptionId, cancellationToken: cancellationToken);
        var changes = new List<SubscriptionItemOptions>();
        foreach (var want in wanted)
        {
            var item = current.Items.Data.FirstOrDefault(i => i.Price?.Id == want.PriceId);
            if (item is null)
            {
                changes.Add(new SubscriptionItemOptions { Price = want.PriceId, Quantity = want.Quantity });
            }
            else if (want.Quantity is { } quantity && item.Quantity != quantity)
            {
                changes.Add(new SubscriptionItemOptions { Id = item.Id, Quantity = quantity });
            }
        }

        if (changes.Count == 0)
        {
            return false;
        }

        await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { Items = changes, ProrationBehavior = "create_prorations" }, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// A Checkout session in subscription mode for <paramref name="plan"/> (<c>POST /v1/checkout/sessions</c>): the fixed
    /// monthly price when the plan has a commitment, plus the metered price. Pay-as-you-go has only the metered price, so
    /// Checkout just saves the card on file.
    /// </summary>
    /// <returns>The hosted page URL.</returns>
    /// <exception cref="ArgumentException">The plan has no price configured.</exception>
    public async Task<string> CreateCheckoutAsync(Guid tenantId, string customerId, Plan plan, string successUrl, string cancelUrl, CancellationToken cancellationToken)
    {
        if (!_options.CanSell(plan))
        {
            throw new ArgumentException($"No Stripe price is configured for {plan}.", nameof(plan));
        }

        var items = new List<SessionLineItemOptions>();
        if (_options.BasePrices.TryGetValue(plan.ToString(), out var basePrice))
        {
            items.Add(new SessionLineItemOptions { Price = basePrice, Quantity = 1 });
        }

        items.Add(new SessionLineItemOptions { Price = _options.MeteredPrices[plan.ToString()] });
        var metadata = new Dictionary<string, string> { ["tenant_id"] = tenantId.ToString(), ["plan"] = plan.ToString() };
        var session = await new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            LineItems = items,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            ClientReferenceId = tenantId.ToString(),
            Metadata = metadata,
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
            // Stripe Tax (https://docs.stripe.com/tax/checkout): tax from the address the customer enters, saved to the customer.
            AutomaticTax = _options.AutomaticTax ? new SessionAutomaticTaxOptions { Enabled = true } : null,
            CustomerUpdate = _options.AutomaticTax ? new SessionCustomerUpdateOptions { Address = "auto", Name = "auto" } : null,
        }, cancellationToken: cancellationToken);
        return session.Url;
    }

    /// <summary>
    /// A Checkout session in payment mode for a one-time purchase (a course enrolment; <c>POST /v1/checkout/sessions</c>,
    /// https://docs.stripe.com/api/checkout/sessions/create): one line with inline <c>price_data</c> (USD,
    /// <paramref name="amountCents"/>), the buyer's email, and <c>metadata[enrollment_id]</c>.
    /// </summary>
    /// <returns>The session id (<c>cs_…</c>) and its hosted page URL.</returns>
    public async Task<(string SessionId, string Url)> CreatePaymentCheckoutAsync(
        Guid enrollmentId, string email, string productName, long amountCents, string successUrl, string cancelUrl, CancellationToken cancellationToken)
    {
        var session = await new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            CustomerEmail = email,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions { Currency = "usd", UnitAmount = amountCents, ProductData = new SessionLineItemPriceDataProductDataOptions { Name = productName } },
                },
            ],
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            ClientReferenceId = enrollmentId.ToString(),
            Metadata = new Dictionary<string, string> { ["enrollment_id"] = enrollmentId.ToString() },
        }, new RequestOptions { IdempotencyKey = "enrollment-" + enrollmentId }, cancellationToken);
        return (session.Id, session.Url);
    }

    /// <summary>A Customer Portal session (<c>POST /v1/billing_portal/sessions</c>) for payment methods and invoices.</summary>
    /// <returns>The portal URL.</returns>
    public async Task<string> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken cancellationToken)
    {
        var session = await new global::Stripe.BillingPortal.SessionService(Client).CreateAsync(
            new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl }, cancellationToken: cancellationToken);
        return session.Url;
    }

    /// <summary>
    /// Moves a subscription to <paramref name="plan"/> (<c>POST /v1/subscriptions/{id}</c>) with Stripe's proration
    /// (<c>proration_behavior=create_prorations</c>): existing items are replaced by the plan's prices.
    /// </summary>
    public async Task ChangePlanAsync(string subscriptionId, Plan plan, CancellationToken cancellationToken)
    {
        if (!_options.CanSell(plan))
        {
            throw new ArgumentException($"No Stripe price is configured for {plan}.", nameof(plan));
        }

        var service = new SubscriptionService(Client);
        var current = await service.GetAsync(subscriptionId, cancellationToken: cancellationToken);
        var items = current.Items.Data.Select(i => new SubscriptionItemOptions { Id = i.Id, Deleted = true }).ToList();
        if (_options.BasePrices.TryGetValue(plan.ToString(), out var basePrice))
        {
            items.Add(new SubscriptionItemOptions { Price = basePrice, Quantity = 1 });
        }

        items.Add(new SubscriptionItemOptions { Price = _options.MeteredPrices[plan.ToString()] });
        await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions
        {
            Items = items,
            ProrationBehavior = "create_prorations",
            Metadata = new Dictionary<string, string> { ["plan"] = plan.ToString() },
        }, cancellationToken: cancellationToken);
    }

    /// <summary>A subscription as Stripe holds it now (<c>GET /v1/subscriptions/{id}</c>).</summary>
    public Task<Subscription> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken) =>
        new SubscriptionService(Client).GetAsync(subscriptionId, cancellationToken: cancellationToken);

    /// <summary>The customer's latest invoices (<c>GET /v1/invoices?customer=…</c>), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        var list = await new InvoiceService(Client).ListAsync(new InvoiceListOptions { Customer = customerId, Limit = limit }, cancellationToken: cancellationToken);
        return list.Data;
    }

    /// <summary>
    /// The fingerprints of the customer's saved cards (<c>GET /v1/payment_methods?customer=…&amp;type=card</c>,
    /// https://docs.stripe.com/api/payment_methods/list). A card's <c>fingerprint</c> is the same for the same card number
    /// on every customer of the account (https://docs.stripe.com/api/payment_methods/object#payment_method_object-card-fingerprint),
    /// so two customers paying with one card share it. Throws <see cref="StripeException"/> when Stripe refuses.
    /// </summary>
    public async Task<IReadOnlySet<string>> CardFingerprintsAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var method in new PaymentMethodService(Client).ListAutoPagingAsync(
            new PaymentMethodListOptions { Customer = customerId, Type = "card", Limit = 100 }, cancellationToken: cancellationToken))
        {
            if (method.Card?.Fingerprint is { Length: > 0 } fingerprint)
            {
                fingerprints.Add(fingerprint);
            }
        }

        return fingerprints;
    }

    /// <summary>
    /// Sends one meter event (<c>POST /v1/billing/meter_events</c>, https://docs.stripe.com/api/billing/meter-event/create):
    /// <c>payload[stripe_customer_id]</c>, <c>payload[value]</c> = tenths, <c>identifier</c> = the call id (Stripe enforces its
    /// uniqueness, so a resend is not counted twice).
    /// </summary>
    public Task SendMeterEventAsync(MeterEventRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new MeterEventService(Client).CreateAsync(new MeterEventCreateOptions
        {
            EventName = request.EventName ?? _options.MeterEventName,
            Identifier = request.Identifier,
            Timestamp = request.Timestamp.UtcDateTime,
            Payload = new Dictionary<string, string>
            {
                ["stripe_customer_id"] = request.CustomerId,
                ["value"] = request.Value.ToString(CultureInfo.InvariantCulture),
            },
        }, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The meter's aggregated value for a customer over [start, end) (<c>GET /v1/billing/meters/{id}/event_summaries</c>,
    /// https://docs.stripe.com/api/billing/meter-event-summary/list). Start and end must be whole minutes (Stripe's rule).
    /// </summary>
    /// <returns>Sum of <c>aggregated_value</c> over the summaries (tenths).</returns>
    public async Task<long> MeterTotalAsync(string customerId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var meterId = _options.MeterId ?? throw new InvalidOperationException("Stripe:MeterId is not configured.");
        var total = 0m;
        await foreach (var summary in new MeterEventSummaryService(Client).ListAutoPagingAsync(meterId,
            new MeterEventSummaryListOptions { Customer = customerId, StartTime = start.UtcDateTime, EndTime = end.UtcDateTime }, cancellationToken: cancellationToken))
        {
            total += summary.AggregatedValue;
        }

        return (long)Math.Round(total);
    }
}
