using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Checkout sessions of <see cref="FakeStripeServer"/>: the API (subscription and one-time payment), the hosted page and paying it.</summary>
internal sealed class StripeCheckout(StripeState state, StripeInvoices invoices, StripeWebhookSender webhooks, Uri baseUrl)
{
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
        lock (state.Gate)
        {
            session = state.Sessions.TryGetValue(sessionId, out var s) ? s : throw new ArgumentException($"No such checkout session: {sessionId}");
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

            var now = StripeState.Now();
            var subscriptionId = "sub_" + state.Next();
            var items = new JsonArray();
            foreach (var line in session["_line_items"]!.AsArray())
            {
                var item = new JsonObject
                {
                    ["id"] = "si_" + state.Next(), ["object"] = "subscription_item", ["created"] = now, ["subscription"] = subscriptionId,
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
            state.Subscriptions[subscriptionId] = subscription;
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["subscription"] = subscriptionId;
            invoice = invoices.NewInvoice((string)session["customer"]!, subscriptionId, 0, "paid");
            subscription = (JsonObject)subscription.DeepClone();
            session = (JsonObject)session.DeepClone();
            }
        }

        if (payment is not null)
        {
            payment.Remove("_line_items");
            payment.Remove("_subscription_metadata");
            await webhooks.SendAsync("checkout.session.completed", payment);
            return Success(payment);
        }

        session.Remove("_line_items");
        session.Remove("_subscription_metadata");
        session.Remove("_customer_update_address");
        await webhooks.SendAsync("checkout.session.completed", session);
        await webhooks.SendAsync("customer.subscription.created", subscription);
        await webhooks.SendAsync("invoice.finalized", invoice);
        await webhooks.SendAsync("invoice.paid", invoice);
        return Success(session);
    }

    /// <summary>
    /// The Checkout session with <paramref name="id"/> as stored (a copy), or null. Besides Stripe's fields it keeps
    /// <c>_customer_update_address</c>: the <c>customer_update[address]</c> the request sent (Stripe does not echo it).
    /// </summary>
    public JsonObject? CheckoutSession(string id)
    {
        JsonObject? copy;
        lock (state.Gate)
        {
            copy = state.Sessions.TryGetValue(id, out var s) ? (JsonObject)s.DeepClone() : null;
        }

        copy?.Remove("_line_items");
        copy?.Remove("_subscription_metadata");
        return copy;
    }

    /// <summary><c>POST /v1/checkout/sessions</c>: a subscription session (or a one-time payment, <see cref="CreatePaymentSessionAsync"/>).</summary>
    public async Task CreateSessionAsync(HttpContext context, IFormCollection form)
    {
        var customer = form["customer"].ToString();
        bool known;
        lock (state.Gate)
        {
            known = state.Customers.ContainsKey(customer);
        }

        var successUrl = form["success_url"].ToString();
        if (form["mode"] == "payment")
        {
            await CreatePaymentSessionAsync(context, form, successUrl);
            return;
        }

        if (!known || form["mode"] != "subscription" || successUrl.Length == 0 || string.IsNullOrEmpty(form["line_items[0][price]"]))
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error", "customer (existing), mode=subscription, success_url and line_items are required.", "parameter_invalid");
            return;
        }

        // Stripe Tax needs the customer's address: Checkout refuses automatic tax for a customer without one unless it may
        // save the address the customer enters (https://docs.stripe.com/tax/checkout#existing-customers).
        var automaticTax = form["automatic_tax[enabled]"] == "true";
        if (automaticTax && form["customer_update[address]"] != "auto" && form["customer_update[shipping]"] != "auto")
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error",
                "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set either customer_update[address] to 'auto' or customer_update[shipping] to 'auto' to save the address entered in Checkout to the Customer.",
                "parameter_missing");
            return;
        }

        var lines = new JsonArray();
        for (var i = 0; form.ContainsKey($"line_items[{i}][price]"); i++)
        {
            lines.Add(new JsonObject { ["price"] = form[$"line_items[{i}][price]"].ToString(), ["quantity"] = form.ContainsKey($"line_items[{i}][quantity]") ? int.Parse(form[$"line_items[{i}][quantity]"]!, System.Globalization.CultureInfo.InvariantCulture) : null });
        }

        var id = "cs_test_" + state.Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "checkout.session", ["mode"] = "subscription", ["customer"] = customer, ["status"] = "open", ["payment_status"] = "unpaid",
            ["url"] = new Uri(baseUrl, "/checkout/" + id).ToString(), ["success_url"] = successUrl, ["cancel_url"] = form["cancel_url"].ToString(),
            ["client_reference_id"] = form["client_reference_id"].ToString(), ["subscription"] = null, ["created"] = StripeState.Now(), ["livemode"] = false,
            ["metadata"] = StripeHttp.Metadata(form, "metadata"), ["automatic_tax"] = new JsonObject { ["enabled"] = automaticTax, ["status"] = automaticTax ? "requires_location_inputs" : null },
        };
        var stored = (JsonObject)session.DeepClone();
        stored["_line_items"] = lines;
        stored["_subscription_metadata"] = StripeHttp.Metadata(form, "subscription_data[metadata]");
        stored["_customer_update_address"] = form["customer_update[address]"].ToString();
        lock (state.Gate)
        {
            state.Sessions[id] = stored;
        }

        await StripeHttp.JsonAsync(context, session);
    }

    /// <summary>
    /// A one-time payment session (<c>mode=payment</c>) with inline <c>price_data</c>: <c>amount_total</c> = unit amount ×
    /// quantity; <c>customer_email</c> instead of a customer.
    /// </summary>
    public async Task CreatePaymentSessionAsync(HttpContext context, IFormCollection form, string successUrl)
    {
        if (successUrl.Length == 0 || !long.TryParse(form["line_items[0][price_data][unit_amount]"], out var unitAmount) || unitAmount < 0
            || form["line_items[0][price_data][currency]"] != "usd")
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error", "mode=payment needs success_url and line_items[0][price_data] (currency, unit_amount).", "parameter_invalid");
            return;
        }

        var quantity = long.TryParse(form["line_items[0][quantity]"], out var q) ? q : 1;
        var id = "cs_test_" + state.Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "checkout.session", ["mode"] = "payment", ["customer"] = null, ["customer_email"] = form["customer_email"].ToString(),
            ["status"] = "open", ["payment_status"] = "unpaid", ["amount_total"] = unitAmount * quantity, ["currency"] = "usd",
            ["url"] = new Uri(baseUrl, "/checkout/" + id).ToString(), ["success_url"] = successUrl, ["cancel_url"] = form["cancel_url"].ToString(),
            ["client_reference_id"] = form["client_reference_id"].ToString(), ["created"] = StripeState.Now(), ["livemode"] = false, ["metadata"] = StripeHttp.Metadata(form, "metadata"),
        };
        lock (state.Gate)
        {
            state.Sessions[id] = (JsonObject)session.DeepClone();
        }

        await StripeHttp.JsonAsync(context, session);
    }

    /// <summary>The hosted Checkout page (<c>GET /checkout/{id}</c>) and its pay button (<c>POST /checkout/{id}/pay</c>).</summary>
    public async Task HostedCheckoutAsync(HttpContext context, string rest)
    {
        if (HttpMethods.IsPost(context.Request.Method) && rest.EndsWith(FakeStripeServer.PaySuffix, StringComparison.Ordinal))
        {
            var url = await CompleteCheckoutAsync(rest[..^FakeStripeServer.PaySuffix.Length]);
            context.Response.Redirect(url);
            return;
        }

        bool exists;
        lock (state.Gate)
        {
            exists = state.Sessions.ContainsKey(rest);
        }

        if (!exists)
        {
            context.Response.StatusCode = 404;
            return;
        }

        await StripeHttp.WriteHtmlAsync(context, $"""
            <html><head><title>Checkout (fake Stripe)</title></head><body>
            <h1>Pay Portal</h1><p>Session {StripeHttp.Html(rest)}</p>
            <form method="post" action="/checkout/{StripeHttp.Html(rest)}{FakeStripeServer.PaySuffix}"><label>Card <input name="card" value="4242 4242 4242 4242"></label>
            <button type="submit" id="pay">Subscribe</button></form></body></html>
            """);
    }

    /// <summary>The session's <c>success_url</c> with <c>{CHECKOUT_SESSION_ID}</c> filled in.</summary>
    private static string Success(JsonObject session) => ((string)session["success_url"]!).Replace("{CHECKOUT_SESSION_ID}", (string)session["id"]!, StringComparison.Ordinal);
}
