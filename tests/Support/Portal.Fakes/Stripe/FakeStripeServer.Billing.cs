using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Customers, Checkout (API and hosted page), subscriptions, portal sessions and invoices of the fake.</summary>
public sealed partial class FakeStripeServer
{
    /// <summary>The hosted page's pay button's form action suffix (<c>/checkout/{id}/pay</c>).</summary>
    public const string PaySuffix = "/pay";

    /// <summary>
    /// Pays a Checkout session as the hosted page's button does: creates the subscription (items from the session's line
    /// items, period = one month from now), an invoice (paid), and sends <c>checkout.session.completed</c>,
    /// <c>customer.subscription.created</c>, <c>invoice.finalized</c> and <c>invoice.paid</c>.
    /// </summary>
    /// <returns>The URL the customer is redirected to (<c>success_url</c> with <c>{CHECKOUT_SESSION_ID}</c> filled in).</returns>
    public async Task<string> CompleteCheckoutAsync(string sessionId)
    {
        JsonObject session, subscription = null!, invoice = null!;
        JsonObject? payment = null;
        lock (_gate)
        {
            session = _sessions.TryGetValue(sessionId, out var s) ? s : throw new ArgumentException($"No such checkout session: {sessionId}");
            if ((string?)session["status"] == "complete")
            {
                return Success(session);
            }

            if ((string?)session["mode"] == "payment")
            {
                // One-time payment: no subscription or invoice, only checkout.session.completed (paid).
                session["status"] = "complete";
                session["payment_status"] = "paid";
                payment = (JsonObject)session.DeepClone();
            }
            else
            {

            var now = Now();
            var subscriptionId = "sub_" + Next();
            var items = new JsonArray();
            foreach (var line in session["_line_items"]!.AsArray())
            {
                var item = new JsonObject
                {
                    ["id"] = "si_" + Next(), ["object"] = "subscription_item", ["created"] = now, ["subscription"] = subscriptionId,
                    ["price"] = new JsonObject { ["id"] = (string?)line!["price"], ["object"] = "price" },
                    ["current_period_start"] = now, ["current_period_end"] = DateTimeOffset.FromUnixTimeSeconds(now).AddMonths(1).ToUnixTimeSeconds(),
                };
                if (line["quantity"] is { } quantity)
                {
                    // Metered items carry no quantity (Stripe omits it).
                    item["quantity"] = quantity.DeepClone();
                }

                items.Add(item);
            }

            subscription = new JsonObject
            {
                ["id"] = subscriptionId, ["object"] = "subscription", ["customer"] = (string?)session["customer"], ["status"] = "active", ["created"] = now,
                ["start_date"] = now, ["livemode"] = false, ["metadata"] = session["_subscription_metadata"]!.DeepClone(),
                ["automatic_tax"] = new JsonObject { ["enabled"] = session["automatic_tax"]?["enabled"]?.GetValue<bool>() ?? false },
                ["items"] = new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = "/v1/subscription_items?subscription=" + subscriptionId },
            };
            _subscriptions[subscriptionId] = subscription;
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["subscription"] = subscriptionId;
            invoice = NewInvoice((string)session["customer"]!, subscriptionId, 0, "paid");
            subscription = (JsonObject)subscription.DeepClone();
            session = (JsonObject)session.DeepClone();
            }
        }

        if (payment is not null)
        {
            payment.Remove("_line_items");
            payment.Remove("_subscription_metadata");
            await Webhooks.SendAsync("checkout.session.completed", payment);
            return Success(payment);
        }

        session.Remove("_line_items");
        session.Remove("_subscription_metadata");
        session.Remove("_customer_update_address");
        await Webhooks.SendAsync("checkout.session.completed", session);
        await Webhooks.SendAsync("customer.subscription.created", subscription);
        await Webhooks.SendAsync("invoice.finalized", invoice);
        await Webhooks.SendAsync("invoice.paid", invoice);
        return Success(session);
    }

    /// <summary>Creates an open invoice for the customer and sends <c>invoice.payment_failed</c> (a declined card).</summary>
    /// <returns>The invoice.</returns>
    public async Task<JsonObject> FailPaymentAsync(string customer, long amountDue)
    {
        JsonObject invoice;
        lock (_gate)
        {
            invoice = NewInvoice(customer, SubscriptionOf(customer)?["id"]?.GetValue<string>(), amountDue, "open");
        }

        await Webhooks.SendAsync("invoice.payment_failed", invoice);
        return invoice;
    }

    /// <summary>
    /// The Checkout session with <paramref name="id"/> as stored (a copy), or null. Besides Stripe's fields it keeps
    /// <c>_customer_update_address</c>: the <c>customer_update[address]</c> the request sent (Stripe does not echo it).
    /// </summary>
    public JsonObject? CheckoutSession(string id)
    {
        JsonObject? copy;
        lock (_gate)
        {
            copy = _sessions.TryGetValue(id, out var s) ? (JsonObject)s.DeepClone() : null;
        }

        copy?.Remove("_line_items");
        copy?.Remove("_subscription_metadata");
        return copy;
    }

    /// <summary>Bills the customer's subscription: a paid invoice of <paramref name="amountPaid"/> cents and <c>invoice.paid</c> (a renewal).</summary>
    /// <returns>The invoice.</returns>
    public async Task<JsonObject> PayInvoiceAsync(string customer, long amountPaid)
    {
        JsonObject invoice;
        lock (_gate)
        {
            invoice = NewInvoice(customer, SubscriptionOf(customer)?["id"]?.GetValue<string>(), amountPaid, "paid");
        }

        await Webhooks.SendAsync("invoice.paid", invoice);
        return invoice;
    }

    /// <summary>
    /// Refunds <paramref name="amount"/> cents of a paid invoice the way Stripe does for invoices: a credit note
    /// (https://docs.stripe.com/api/credit_notes/object) with <c>invoice</c> and <c>total</c>, sent as <c>credit_note.created</c>.
    /// </summary>
    public async Task<JsonObject> RefundInvoiceAsync(string invoiceId, long amount)
    {
        JsonObject creditNote;
        lock (_gate)
        {
            var invoice = _invoices.FirstOrDefault(i => (string?)i["id"] == invoiceId) ?? throw new ArgumentException($"No such invoice: {invoiceId}");
            creditNote = new JsonObject
            {
                ["id"] = "cn_" + Next(), ["object"] = "credit_note", ["invoice"] = invoiceId, ["customer"] = (string?)invoice["customer"], ["amount"] = amount,
                ["total"] = amount, ["subtotal"] = amount, ["currency"] = "usd", ["status"] = "issued", ["type"] = "post_payment", ["created"] = Now(), ["livemode"] = false,
                ["number"] = "CN-" + Next(), ["metadata"] = new JsonObject(),
            };
        }

        await Webhooks.SendAsync("credit_note.created", creditNote);
        return creditNote;
    }

    private static string Success(JsonObject session) => ((string)session["success_url"]!).Replace("{CHECKOUT_SESSION_ID}", (string)session["id"]!, StringComparison.Ordinal);

    private JsonObject NewInvoice(string customer, string? subscription, long amountDue, string status)
    {
        var id = "in_" + Next();
        var invoice = new JsonObject
        {
            ["id"] = id, ["object"] = "invoice", ["customer"] = customer, ["subscription"] = subscription, ["status"] = status, ["created"] = Now(),
            ["amount_due"] = amountDue, ["amount_paid"] = status == "paid" ? amountDue : 0, ["currency"] = "usd", ["livemode"] = false,
            ["number"] = "FAKE-" + _invoices.Count.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
            ["hosted_invoice_url"] = new Uri(BaseUrl, "/invoice/" + id).ToString(), ["invoice_pdf"] = new Uri(BaseUrl, "/invoice/" + id + "/pdf").ToString(),
            ["metadata"] = new JsonObject(),
        };
        _invoices.Add(invoice);
        return (JsonObject)invoice.DeepClone();
    }

    private JsonObject CreateCustomer(IFormCollection form)
    {
        var customer = new JsonObject
        {
            ["id"] = "cus_" + Next(), ["object"] = "customer", ["created"] = Now(), ["email"] = form["email"].ToString(), ["name"] = form["name"].ToString(),
            ["livemode"] = false, ["metadata"] = Metadata(form, "metadata"),
        };
        lock (_gate)
        {
            _customers[(string)customer["id"]!] = customer;
        }

        return (JsonObject)customer.DeepClone();
    }

    private async Task CreateSessionAsync(HttpContext context, IFormCollection form)
    {
        var customer = form["customer"].ToString();
        bool known;
        lock (_gate)
        {
            known = _customers.ContainsKey(customer);
        }

        var successUrl = form["success_url"].ToString();
        if (form["mode"] == "payment")
        {
            await CreatePaymentSessionAsync(context, form, successUrl);
            return;
        }

        if (!known || form["mode"] != "subscription" || successUrl.Length == 0 || string.IsNullOrEmpty(form["line_items[0][price]"]))
        {
            await ErrorAsync(context, 400, "invalid_request_error", "customer (existing), mode=subscription, success_url and line_items are required.", "parameter_invalid");
            return;
        }

        // Stripe Tax needs the customer's address: Checkout refuses automatic tax for a customer without one unless it may
        // save the address the customer enters (https://docs.stripe.com/tax/checkout#existing-customers).
        var automaticTax = form["automatic_tax[enabled]"] == "true";
        if (automaticTax && form["customer_update[address]"] != "auto" && form["customer_update[shipping]"] != "auto")
        {
            await ErrorAsync(context, 400, "invalid_request_error",
                "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set either customer_update[address] to 'auto' or customer_update[shipping] to 'auto' to save the address entered in Checkout to the Customer.",
                "parameter_missing");
            return;
        }

        var lines = new JsonArray();
        for (var i = 0; form.ContainsKey($"line_items[{i}][price]"); i++)
        {
            lines.Add(new JsonObject { ["price"] = form[$"line_items[{i}][price]"].ToString(), ["quantity"] = form.ContainsKey($"line_items[{i}][quantity]") ? int.Parse(form[$"line_items[{i}][quantity]"]!, System.Globalization.CultureInfo.InvariantCulture) : null });
        }

        var id = "cs_test_" + Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "checkout.session", ["mode"] = "subscription", ["customer"] = customer, ["status"] = "open", ["payment_status"] = "unpaid",
            ["url"] = new Uri(BaseUrl, "/checkout/" + id).ToString(), ["success_url"] = successUrl, ["cancel_url"] = form["cancel_url"].ToString(),
            ["client_reference_id"] = form["client_reference_id"].ToString(), ["subscription"] = null, ["created"] = Now(), ["livemode"] = false,
            ["metadata"] = Metadata(form, "metadata"), ["automatic_tax"] = new JsonObject { ["enabled"] = automaticTax, ["status"] = automaticTax ? "requires_location_inputs" : null },
        };
        var stored = (JsonObject)session.DeepClone();
        stored["_line_items"] = lines;
        stored["_subscription_metadata"] = Metadata(form, "subscription_data[metadata]");
        stored["_customer_update_address"] = form["customer_update[address]"].ToString();
        lock (_gate)
        {
            _sessions[id] = stored;
        }

        await JsonAsync(context, session);
    }

    /// <summary>
    /// A one-time payment session (<c>mode=payment</c>) with inline <c>price_data</c>: <c>amount_total</c> = unit amount ×
    /// quantity; <c>customer_email</c> instead of a customer.
    /// </summary>
    private async Task CreatePaymentSessionAsync(HttpContext context, IFormCollection form, string successUrl)
    {
        if (successUrl.Length == 0 || !long.TryParse(form["line_items[0][price_data][unit_amount]"], out var unitAmount) || unitAmount < 0
            || form["line_items[0][price_data][currency]"] != "usd")
        {
            await ErrorAsync(context, 400, "invalid_request_error", "mode=payment needs success_url and line_items[0][price_data] (currency, unit_amount).", "parameter_invalid");
            return;
        }

        var quantity = long.TryParse(form["line_items[0][quantity]"], out var q) ? q : 1;
        var id = "cs_test_" + Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "checkout.session", ["mode"] = "payment", ["customer"] = null, ["customer_email"] = form["customer_email"].ToString(),
            ["status"] = "open", ["payment_status"] = "unpaid", ["amount_total"] = unitAmount * quantity, ["currency"] = "usd",
            ["url"] = new Uri(BaseUrl, "/checkout/" + id).ToString(), ["success_url"] = successUrl, ["cancel_url"] = form["cancel_url"].ToString(),
            ["client_reference_id"] = form["client_reference_id"].ToString(), ["created"] = Now(), ["livemode"] = false, ["metadata"] = Metadata(form, "metadata"),
        };
        lock (_gate)
        {
            _sessions[id] = (JsonObject)session.DeepClone();
        }

        await JsonAsync(context, session);
    }

    private async Task HostedCheckoutAsync(HttpContext context, string rest)
    {
        if (HttpMethods.IsPost(context.Request.Method) && rest.EndsWith(PaySuffix, StringComparison.Ordinal))
        {
            var url = await CompleteCheckoutAsync(rest[..^PaySuffix.Length]);
            context.Response.Redirect(url);
            return;
        }

        bool exists;
        lock (_gate)
        {
            exists = _sessions.ContainsKey(rest);
        }

        if (!exists)
        {
            context.Response.StatusCode = 404;
            return;
        }

        await WriteHtmlAsync(context, $"""
            <html><head><title>Checkout (fake Stripe)</title></head><body>
            <h1>Pay Portal</h1><p>Session {Html(rest)}</p>
            <form method="post" action="/checkout/{Html(rest)}{PaySuffix}"><label>Card <input name="card" value="4242 4242 4242 4242"></label>
            <button type="submit" id="pay">Subscribe</button></form></body></html>
            """);
    }

    private async Task UpdateSubscriptionAsync(HttpContext context, string id, IFormCollection form)
    {
        JsonObject copy;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(id, out var subscription))
            {
                copy = null!;
            }
            else
            {
                var items = subscription["items"]!["data"]!.AsArray();
                for (var i = 0; form.ContainsKey($"items[{i}][id]") || form.ContainsKey($"items[{i}][price]"); i++)
                {
                    if (form[$"items[{i}][deleted]"] == "true")
                    {
                        var itemId = form[$"items[{i}][id]"].ToString();
                        var existing = items.FirstOrDefault(x => (string?)x!["id"] == itemId);
                        items.Remove(existing);
                    }
                    else if (form.ContainsKey($"items[{i}][id]") && form.ContainsKey($"items[{i}][quantity]"))
                    {
                        // A licensed item's new quantity (https://docs.stripe.com/api/subscriptions/update#update_subscription-items-quantity).
                        var existing = items.FirstOrDefault(x => (string?)x!["id"] == form[$"items[{i}][id]"].ToString());
                        if (existing is not null)
                        {
                            existing["quantity"] = long.Parse(form[$"items[{i}][quantity]"]!, System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                    else if (form.ContainsKey($"items[{i}][price]"))
                    {
                        var first = items.Count > 0 ? items[0]! : null;
                        items.Add(new JsonObject
                        {
                            ["id"] = "si_" + Next(), ["object"] = "subscription_item", ["created"] = Now(), ["subscription"] = id,
                            ["price"] = new JsonObject { ["id"] = form[$"items[{i}][price]"].ToString(), ["object"] = "price" },
                            ["current_period_start"] = first?["current_period_start"]?.DeepClone() ?? Now(),
                            ["current_period_end"] = first?["current_period_end"]?.DeepClone() ?? DateTimeOffset.UtcNow.AddMonths(1).ToUnixTimeSeconds(),
                        });
                        if (form.ContainsKey($"items[{i}][quantity]"))
                        {
                            items[^1]!["quantity"] = long.Parse(form[$"items[{i}][quantity]"]!, System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                }

                foreach (var (key, value) in Metadata(form, "metadata"))
                {
                    subscription["metadata"]![key] = value?.DeepClone();
                }

                subscription["_proration_behavior"] = form["proration_behavior"].ToString();
                copy = (JsonObject)subscription.DeepClone();
            }
        }

        if (copy is null)
        {
            await ErrorAsync(context, 404, "invalid_request_error", $"No such subscription: '{id}'", "resource_missing");
            return;
        }

        copy.Remove("_proration_behavior");
        await JsonAsync(context, copy);
        await Webhooks.SendAsync("customer.subscription.updated", copy);
    }

    private async Task CreatePortalSessionAsync(HttpContext context, IFormCollection form)
    {
        var customer = form["customer"].ToString();
        bool known;
        lock (_gate)
        {
            known = _customers.ContainsKey(customer);
        }

        if (!known)
        {
            await ErrorAsync(context, 400, "invalid_request_error", $"No such customer: '{customer}'", "resource_missing");
            return;
        }

        var id = "bps_" + Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "billing_portal.session", ["customer"] = customer, ["return_url"] = form["return_url"].ToString(),
            ["url"] = new Uri(BaseUrl, "/portal/" + id).ToString(), ["created"] = Now(), ["livemode"] = false,
        };
        lock (_gate)
        {
            _portalSessions.Add((JsonObject)session.DeepClone());
        }

        await JsonAsync(context, session);
    }

    private static JsonObject Metadata(IFormCollection form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var key in form.Keys.Where(k => k.StartsWith(prefix + "[", StringComparison.Ordinal) && k.EndsWith(']') && k.Count(c => c == '[') == prefix.Count(c => c == '[') + 1))
        {
            metadata[key[(prefix.Length + 1)..^1]] = form[key].ToString();
        }

        return metadata;
    }
}
