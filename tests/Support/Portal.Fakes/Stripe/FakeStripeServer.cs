using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
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
public sealed partial class FakeStripeServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _customers = [];
    private readonly Dictionary<string, JsonObject> _sessions = [];
    private readonly Dictionary<string, JsonObject> _subscriptions = [];
    private readonly List<JsonObject> _invoices = [];
    private readonly List<JsonObject> _portalSessions = [];
    private readonly Dictionary<string, MeterEvent> _meterEvents = [];
    private readonly List<JsonObject> _paymentMethods = [];
    private readonly Dictionary<string, JsonObject> _idempotent = [];
    private HashSet<string> _failing = [];
    private long _requests;
    private long _meterEventRequests;
    private int _sequence;

    private FakeStripeServer(LoopbackServer server, StripeWebhookSender webhooks)
    {
        _server = server;
        Webhooks = webhooks;
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
    public long MeterEventRequests => Interlocked.Read(ref _meterEventRequests);

    /// <summary>Accepted meter events, one per identifier.</summary>
    public IReadOnlyList<MeterEvent> MeterEvents
    {
        get { lock (_gate) { return [.. _meterEvents.Values]; } }
    }

    /// <summary>Customer Portal sessions created (copies).</summary>
    public IReadOnlyList<JsonObject> PortalSessions
    {
        get { lock (_gate) { return [.. _portalSessions.Select(c => (JsonObject)c.DeepClone())]; } }
    }

    /// <summary>Customers created.</summary>
    public IReadOnlyList<JsonObject> Customers
    {
        get { lock (_gate) { return [.. _customers.Values.Select(c => (JsonObject)c.DeepClone())]; } }
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
    public void FailMeterEventsAfterStoring(IEnumerable<string> identifiers)
    {
        lock (_gate)
        {
            _failing = [.. identifiers];
        }
    }

    /// <summary>Ends <see cref="FailMeterEventsAfterStoring"/>.</summary>
    public void StopFailing()
    {
        lock (_gate)
        {
            _failing = [];
        }
    }

    /// <summary>Plants a meter event behind Portal's back (reconciliation drift).</summary>
    public void PlantMeterEvent(string customer, long value, DateTimeOffset at)
    {
        lock (_gate)
        {
            var id = "planted-" + Next();
            _meterEvents[id] = new MeterEvent(id, "planted", customer, value, at.ToUnixTimeSeconds());
        }
    }

    /// <summary>The subscription with <paramref name="id"/> as stored (a copy).</summary>
    public JsonObject? Subscription(string id)
    {
        lock (_gate) { return _subscriptions.TryGetValue(id, out var s) ? (JsonObject)s.DeepClone() : null; }
    }

    /// <summary>The latest subscription of <paramref name="customer"/> (a copy), or null.</summary>
    public JsonObject? SubscriptionOf(string customer)
    {
        lock (_gate)
        {
            return _subscriptions.Values.Where(s => (string?)s["customer"] == customer).OrderBy(s => (long)s["created"]!).LastOrDefault()?.DeepClone() as JsonObject;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        if (path.StartsWith("/checkout/", StringComparison.Ordinal))
        {
            await HostedCheckoutAsync(context, path["/checkout/".Length..]);
            return;
        }

        if (path.StartsWith("/portal/", StringComparison.Ordinal))
        {
            await WriteHtmlAsync(context, "<html><body><h1>Stripe customer portal (fake)</h1><p>Payment methods and invoices.</p></body></html>");
            return;
        }

        Interlocked.Increment(ref _requests);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "invalid_request_error", "Invalid API Key provided.", null);
            return;
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var segments = path.Trim('/').Split('/');
        switch (method, segments)
        {
            case ("POST", ["v1", "customers"]):
                await JsonAsync(context, CreateCustomer(form!));
                break;
            case ("POST", ["v1", "checkout", "sessions"]):
                await CreateSessionAsync(context, form!);
                break;
            case ("POST", ["v1", "subscriptions"]):
                await CreateSubscriptionAsync(context, form!);
                break;
            case ("GET", ["v1", "subscriptions", var id]):
                await FoundAsync(context, Subscription(id), "subscription", id);
                break;
            case ("POST", ["v1", "subscriptions", var id]):
                await UpdateSubscriptionAsync(context, id, form!);
                break;
            case ("POST", ["v1", "billing_portal", "sessions"]):
                await CreatePortalSessionAsync(context, form!);
                break;
            case ("POST", ["v1", "billing", "meter_events"]):
                await MeterEventAsync(context, form!);
                break;
            case ("GET", ["v1", "billing", "meters", var meter, "event_summaries"]):
                await JsonAsync(context, Summaries(meter, context.Request.Query));
                break;
            case ("GET", ["v1", "invoices"]):
                await JsonAsync(context, ListInvoices(context.Request.Query));
                break;
            case ("GET", ["v1", "payment_methods"]):
                await JsonAsync(context, ListPaymentMethods(context.Request.Query));
                break;
            default:
                await ErrorAsync(context, 404, "invalid_request_error", $"Unrecognized request URL ({method}: {path}).", null);
                break;
        }
    }

    /// <summary>
    /// <c>POST /v1/subscriptions</c> (https://docs.stripe.com/api/subscriptions/create) for an existing customer: items from
    /// <c>items[i][price]</c> (with <c>items[i][quantity]</c> for licensed prices), <c>collection_method</c>,
    /// <c>days_until_due</c>, metadata; active at once; an <c>Idempotency-Key</c> seen before returns the first answer.
    /// </summary>
    private async Task CreateSubscriptionAsync(HttpContext context, IFormCollection form)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        JsonObject? created = null;
        lock (_gate)
        {
            if (key.Length > 0 && _idempotent.TryGetValue(key, out var earlier))
            {
                created = (JsonObject)earlier.DeepClone();
            }
        }

        if (created is not null)
        {
            await JsonAsync(context, created);
            return;
        }

        var customer = form["customer"].ToString();
        bool known;
        lock (_gate)
        {
            known = _customers.ContainsKey(customer);
        }

        if (!known || string.IsNullOrEmpty(form["items[0][price]"]))
        {
            await ErrorAsync(context, 400, "invalid_request_error", "customer (existing) and items are required.", "parameter_invalid");
            return;
        }

        var now = Now();
        var id = "sub_" + Next();
        var items = new JsonArray();
        for (var i = 0; form.ContainsKey($"items[{i}][price]"); i++)
        {
            var item = new JsonObject
            {
                ["id"] = "si_" + Next(), ["object"] = "subscription_item", ["created"] = now, ["subscription"] = id,
                ["price"] = new JsonObject { ["id"] = form[$"items[{i}][price]"].ToString(), ["object"] = "price" },
                ["current_period_start"] = now, ["current_period_end"] = DateTimeOffset.FromUnixTimeSeconds(now).AddMonths(1).ToUnixTimeSeconds(),
            };
            if (form.ContainsKey($"items[{i}][quantity]"))
            {
                item["quantity"] = long.Parse(form[$"items[{i}][quantity]"]!, CultureInfo.InvariantCulture);
            }

            items.Add(item);
        }

        var subscription = new JsonObject
        {
            ["id"] = id, ["object"] = "subscription", ["customer"] = customer, ["status"] = "active", ["created"] = now, ["start_date"] = now, ["livemode"] = false,
            ["collection_method"] = form.ContainsKey("collection_method") ? form["collection_method"].ToString() : "charge_automatically",
            ["days_until_due"] = long.TryParse(form["days_until_due"], CultureInfo.InvariantCulture, out var days) ? days : null,
            ["metadata"] = Metadata(form, "metadata"),
            ["items"] = new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = "/v1/subscription_items?subscription=" + id },
        };
        lock (_gate)
        {
            _subscriptions[id] = subscription;
            if (key.Length > 0)
            {
                _idempotent[key] = (JsonObject)subscription.DeepClone();
            }

            created = (JsonObject)subscription.DeepClone();
        }

        await JsonAsync(context, created);
        await Webhooks.SendAsync("customer.subscription.created", created);
    }

    private async Task MeterEventAsync(HttpContext context, IFormCollection form)
    {
        Interlocked.Increment(ref _meterEventRequests);
        var customer = form["payload[stripe_customer_id]"].ToString();
        var eventName = form["event_name"].ToString();
        if (string.IsNullOrEmpty(customer) || string.IsNullOrEmpty(eventName)
            || !long.TryParse(form["payload[value]"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "event_name, payload[stripe_customer_id] and a whole payload[value] are required.", "parameter_missing");
            return;
        }

        var identifier = form["identifier"].ToString();
        identifier = identifier.Length == 0 ? "gen_" + Next() : identifier;
        var timestamp = long.TryParse(form["timestamp"], CultureInfo.InvariantCulture, out var t) ? t : DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        bool fail;
        lock (_gate)
        {
            // Stripe enforces identifier uniqueness (https://docs.stripe.com/api/billing/meter-event/create): a resend is not counted again.
            _meterEvents.TryAdd(identifier, new MeterEvent(identifier, eventName, customer, value, timestamp));
            fail = _failing.Contains(identifier);
        }

        if (fail)
        {
            await ErrorAsync(context, 500, "api_error", "An unknown error occurred (injected after storing).", null);
            return;
        }

        await JsonAsync(context, new JsonObject
        {
            ["object"] = "billing.meter_event", ["created"] = Now(), ["event_name"] = eventName, ["identifier"] = identifier, ["livemode"] = false,
            ["payload"] = new JsonObject { ["stripe_customer_id"] = customer, ["value"] = value.ToString(CultureInfo.InvariantCulture) }, ["timestamp"] = timestamp,
        });
    }

    private JsonObject Summaries(string meter, IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var start = long.Parse(query["start_time"].ToString(), CultureInfo.InvariantCulture);
        var end = long.Parse(query["end_time"].ToString(), CultureInfo.InvariantCulture);
        long total;
        lock (_gate)
        {
            total = _meterEvents.Values.Where(e => e.Customer == customer && e.Timestamp >= start && e.Timestamp < end).Sum(e => e.Value);
        }

        var summary = new JsonObject
        {
            ["id"] = "mtrusg_" + Next(), ["object"] = "billing.meter_event_summary", ["aggregated_value"] = total, ["end_time"] = end,
            ["livemode"] = false, ["meter"] = meter, ["start_time"] = start,
        };
        return List([summary], $"/v1/billing/meters/{meter}/event_summaries");
    }

    private JsonObject ListInvoices(IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 10;
        lock (_gate)
        {
            return List(_invoices.Where(i => (string?)i["customer"] == customer).OrderByDescending(i => (long)i["created"]!).Take(limit)
                .Select(i => (JsonNode)i.DeepClone()).ToList(), "/v1/invoices");
        }
    }

    /// <summary>
    /// Saves a card on <paramref name="customer"/> as a paid Checkout would (a <c>payment_method</c> of type <c>card</c> whose
    /// <c>card.fingerprint</c> is <paramref name="fingerprint"/>: one card number, one fingerprint, across customers).
    /// </summary>
    /// <returns>The payment method id (<c>pm_…</c>).</returns>
    public string AttachCard(string customer, string fingerprint, string last4 = "4242")
    {
        var id = "pm_" + Next();
        lock (_gate)
        {
            _paymentMethods.Add(new JsonObject
            {
                ["id"] = id, ["object"] = "payment_method", ["type"] = "card", ["customer"] = customer, ["created"] = Now(), ["livemode"] = false,
                ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = last4, ["exp_month"] = 12, ["exp_year"] = 2030, ["fingerprint"] = fingerprint },
            });
        }

        return id;
    }

    private JsonObject ListPaymentMethods(IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var type = query["type"].ToString();
        lock (_gate)
        {
            return List(_paymentMethods.Where(m => (string?)m["customer"] == customer && (type.Length == 0 || (string?)m["type"] == type))
                .Select(m => (JsonNode)m.DeepClone()).ToList(), "/v1/payment_methods");
        }
    }

    private string Next() => Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject List(IList<JsonNode> data, string url) =>
        new() { ["object"] = "list", ["data"] = new JsonArray([.. data]), ["has_more"] = false, ["url"] = url };

    private static Task FoundAsync(HttpContext context, JsonObject? found, string kind, string id) =>
        found is null ? ErrorAsync(context, 404, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing") : JsonAsync(context, found);

    private static Task JsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message, string? code)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["code"] = code } });
    }

    private static Task WriteHtmlAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Webhooks.Dispose();
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
