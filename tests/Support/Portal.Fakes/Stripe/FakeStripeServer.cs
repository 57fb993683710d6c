using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>
/// A fake Stripe on 127.0.0.1 speaking Stripe's REST API as <c>Stripe.net</c> calls it (https://docs.stripe.com/api):
/// form-encoded requests with bracketed keys, JSON responses in Stripe's object shapes, errors as
/// <c>{"error":{"type","message","code"}}</c>. Endpoints: customers, checkout sessions (with a hosted page that
/// "pays" and redirects to <c>success_url</c>), subscriptions (create, retrieve, update items and quantities with prorations), billing portal
/// sessions, billing meter events (deduplicated by <c>identifier</c>), meter event summaries and invoices. Webhook
/// events are signed with the real <c>Stripe-Signature</c> scheme (<see cref="StripeWebhookSender"/>).
/// Thread-safe; counts every API request.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    /// <summary>The hosted page's pay button's form action suffix (<c>/checkout/{id}/pay</c>).</summary>
    public const string PaySuffix = "/pay";

    private readonly LoopbackServer _server;
    private readonly StripeState _state = new();
    private readonly StripeCustomers _customers;
    private readonly StripeSubscriptions _subscriptions;
    private readonly StripeInvoices _invoices;
    private readonly StripeCheckout _checkout;
    private readonly StripeMeterEvents _meterEvents;
    private long _requests;

    private FakeStripeServer(LoopbackServer server, StripeWebhookSender webhooks)
    {
        _server = server;
        Webhooks = webhooks;
        _customers = new StripeCustomers(_state, server.BaseUrl);
        _subscriptions = new StripeSubscriptions(_state, webhooks);
        _invoices = new StripeInvoices(_state, _subscriptions, webhooks, server.BaseUrl);
        _checkout = new StripeCheckout(_state, _invoices, webhooks, server.BaseUrl);
        _meterEvents = new StripeMeterEvents(_state);
    }

    /// <summary>One accepted meter event.</summary>
    public sealed record MeterEvent(string Identifier, string EventName, string Customer, long Value, long Timestamp);

    /// <summary>The fake's origin: set it as <c>Stripe:ApiBase</c>.</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>Sends signed webhook events to the app.</summary>
    public StripeWebhookSender Webhooks { get; }

    /// <summary>API requests served (every path under <c>/v1</c>).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Meter event requests served (including duplicates and injected failures).</summary>
    public long MeterEventRequests => _meterEvents.Requests;

    /// <summary>Accepted meter events, one per identifier.</summary>
    public IReadOnlyList<MeterEvent> MeterEvents => _meterEvents.Events;

    /// <summary>Customer Portal sessions created (copies).</summary>
    public IReadOnlyList<JsonObject> PortalSessions
    {
        get { lock (_state.Gate) { return [.. _state.PortalSessions.Select(c => (JsonObject)c.DeepClone())]; } }
    }

    /// <summary>Customers created.</summary>
    public IReadOnlyList<JsonObject> Customers
    {
        get { lock (_state.Gate) { return [.. _state.Customers.Values.Select(c => (JsonObject)c.DeepClone())]; } }
    }

    /// <summary>Starts the fake; webhooks go to <paramref name="webhookUrl"/> signed with <paramref name="webhookSecret"/>.</summary>
    /// <param name="webhookUrl">The app's <c>/stripe/webhook</c> URL (may be set later on <see cref="StripeWebhookSender.Target"/>).</param>
    /// <param name="webhookSecret">The endpoint secret (<c>whsec_…</c>).</param>
    /// <param name="webhookClient">Client delivering the events (default: a plain <see cref="HttpClient"/>).</param>
    public static async Task<FakeStripeServer> StartAsync(Uri? webhookUrl, string webhookSecret, HttpClient? webhookClient = null)
    {
        FakeStripeServer? fake = null;
        var server = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeStripeServer(server, new StripeWebhookSender(webhookUrl, webhookSecret, webhookClient ?? new HttpClient()));
        return fake;
    }

    /// <summary>
    /// Until <see cref="StopFailing"/>, meter events with these identifiers are stored (Stripe accepted them) but answered
    /// with a 500, as when the response is lost: the client (and the job) see a failure and must resend.
    /// </summary>
    public void FailMeterEventsAfterStoring(IEnumerable<string> identifiers) => _meterEvents.FailMeterEventsAfterStoring(identifiers);

    /// <summary>Ends <see cref="FailMeterEventsAfterStoring"/>.</summary>
    public void StopFailing() => _meterEvents.StopFailing();

    /// <summary>Plants a meter event behind Portal's back (reconciliation drift).</summary>
    public void PlantMeterEvent(string customer, long value, DateTimeOffset at) => _meterEvents.PlantMeterEvent(customer, value, at);

    /// <summary>The subscription with <paramref name="id"/> as stored (a copy).</summary>
    public JsonObject? Subscription(string id) => _subscriptions.Subscription(id);

    /// <summary>The latest subscription of <paramref name="customer"/> (a copy), or null.</summary>
    public JsonObject? SubscriptionOf(string customer) => _subscriptions.SubscriptionOf(customer);

    /// <summary>
    /// Pays a Checkout session as the hosted page's button does: creates the subscription (items from the session's line
    /// items, period = one month from now), an invoice (paid), and sends <c>checkout.session.completed</c>,
    /// <c>customer.subscription.created</c>, <c>invoice.finalized</c> and <c>invoice.paid</c>.
    /// </summary>
    /// <returns>The URL the customer is redirected to (<c>success_url</c> with <c>{CHECKOUT_SESSION_ID}</c> filled in).</returns>
    public Task<string> CompleteCheckoutAsync(string sessionId) => _checkout.CompleteCheckoutAsync(sessionId);

    /// <summary>
    /// The Checkout session with <paramref name="id"/> as stored (a copy), or null. Besides Stripe's fields it keeps
    /// <c>_customer_update_address</c>: the <c>customer_update[address]</c> the request sent (Stripe does not echo it).
    /// </summary>
    public JsonObject? CheckoutSession(string id) => _checkout.CheckoutSession(id);

    /// <summary>Creates an open invoice for the customer and sends <c>invoice.payment_failed</c> (a declined card).</summary>
    /// <returns>The invoice.</returns>
    public Task<JsonObject> FailPaymentAsync(string customer, long amountDue) => _invoices.FailPaymentAsync(customer, amountDue);

    /// <summary>Bills the customer's subscription: a paid invoice of <paramref name="amountPaid"/> cents and <c>invoice.paid</c> (a renewal).</summary>
    /// <returns>The invoice.</returns>
    public Task<JsonObject> PayInvoiceAsync(string customer, long amountPaid) => _invoices.PayInvoiceAsync(customer, amountPaid);

    /// <summary>
    /// Refunds <paramref name="amount"/> cents of a paid invoice the way Stripe does for invoices: a credit note
    /// (https://docs.stripe.com/api/credit_notes/object) with <c>invoice</c> and <c>total</c>, sent as <c>credit_note.created</c>.
    /// </summary>
    public Task<JsonObject> RefundInvoiceAsync(string invoiceId, long amount) => _invoices.RefundInvoiceAsync(invoiceId, amount);

    /// <summary>
    /// Saves a card on <paramref name="customer"/> as a paid Checkout would (a <c>payment_method</c> of type <c>card</c> whose
    /// <c>card.fingerprint</c> is <paramref name="fingerprint"/>: one card number, one fingerprint, across customers).
    /// </summary>
    /// <returns>The payment method id (<c>pm_…</c>).</returns>
    public string AttachCard(string customer, string fingerprint, string last4 = "4242") => _customers.AttachCard(customer, fingerprint, last4);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Webhooks.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        if (path.StartsWith("/checkout/", StringComparison.Ordinal))
        {
            await _checkout.HostedCheckoutAsync(context, path["/checkout/".Length..]);
            return;
        }

        if (path.StartsWith("/portal/", StringComparison.Ordinal))
        {
            await StripeHttp.WriteHtmlAsync(context, "<html><body><h1>Stripe customer portal (fake)</h1><p>Payment methods and invoices.</p></body></html>");
            return;
        }

        Interlocked.Increment(ref _requests);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            await StripeHttp.ErrorAsync(context, 401, "invalid_request_error", "Invalid API Key provided.", null);
            return;
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var segments = path.Trim('/').Split('/');
        switch (method, segments)
        {
            case ("POST", ["v1", "customers"]):
                await StripeHttp.JsonAsync(context, _customers.CreateCustomer(form!));
                break;
            case ("POST", ["v1", "checkout", "sessions"]):
                await _checkout.CreateSessionAsync(context, form!);
                break;
            case ("POST", ["v1", "subscriptions"]):
                await _subscriptions.CreateSubscriptionAsync(context, form!);
                break;
            case ("GET", ["v1", "subscriptions", var id]):
                await StripeHttp.FoundAsync(context, _subscriptions.Subscription(id), "subscription", id);
                break;
            case ("POST", ["v1", "subscriptions", var id]):
                await _subscriptions.UpdateSubscriptionAsync(context, id, form!);
                break;
            case ("POST", ["v1", "billing_portal", "sessions"]):
                await _customers.CreatePortalSessionAsync(context, form!);
                break;
            case ("POST", ["v1", "billing", "meter_events"]):
                await _meterEvents.MeterEventAsync(context, form!);
                break;
            case ("GET", ["v1", "billing", "meters", var meter, "event_summaries"]):
                await StripeHttp.JsonAsync(context, _meterEvents.Summaries(meter, context.Request.Query));
                break;
            case ("GET", ["v1", "invoices"]):
                await StripeHttp.JsonAsync(context, _invoices.ListInvoices(context.Request.Query));
                break;
            case ("GET", ["v1", "payment_methods"]):
                await StripeHttp.JsonAsync(context, _customers.ListPaymentMethods(context.Request.Query));
                break;
            default:
                await StripeHttp.ErrorAsync(context, 404, "invalid_request_error", $"Unrecognized request URL ({method}: {path}).", null);
                break;
        }
    }
}
