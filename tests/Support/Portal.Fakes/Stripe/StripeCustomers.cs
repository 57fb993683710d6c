using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Customers, their saved cards (payment methods) and Customer Portal sessions of <see cref="FakeStripeServer"/>.</summary>
internal sealed class StripeCustomers(StripeState state, Uri baseUrl)
{
    /// <summary><c>POST /v1/customers</c>: a customer with email, name and metadata.</summary>
    public JsonObject CreateCustomer(IFormCollection form)
    {
        var customer = new JsonObject
        {
            ["id"] = "cus_" + state.Next(), ["object"] = "customer", ["created"] = StripeState.Now(), ["email"] = form["email"].ToString(), ["name"] = form["name"].ToString(),
            ["livemode"] = false, ["metadata"] = StripeHttp.Metadata(form, "metadata"),
        };
        lock (state.Gate)
        {
            state.Customers[(string)customer["id"]!] = customer;
        }

        return (JsonObject)customer.DeepClone();
    }

    /// <summary><c>POST /v1/billing_portal/sessions</c> for an existing customer; its <c>url</c> is the fake portal page.</summary>
    public async Task CreatePortalSessionAsync(HttpContext context, IFormCollection form)
    {
        var customer = form["customer"].ToString();
        bool known;
        lock (state.Gate)
        {
            known = state.Customers.ContainsKey(customer);
        }

        if (!known)
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error", $"No such customer: '{customer}'", "resource_missing");
            return;
        }

        var id = "bps_" + state.Next();
        var session = new JsonObject
        {
            ["id"] = id, ["object"] = "billing_portal.session", ["customer"] = customer, ["return_url"] = form["return_url"].ToString(),
            ["url"] = new Uri(baseUrl, "/portal/" + id).ToString(), ["created"] = StripeState.Now(), ["livemode"] = false,
        };
        lock (state.Gate)
        {
            state.PortalSessions.Add((JsonObject)session.DeepClone());
        }

        await StripeHttp.JsonAsync(context, session);
    }

    /// <summary>
    /// Saves a card on <paramref name="customer"/> as a paid Checkout would (a <c>payment_method</c> of type <c>card</c> whose
    /// <c>card.fingerprint</c> is <paramref name="fingerprint"/>: one card number, one fingerprint, across customers).
    /// </summary>
    /// <returns>The payment method id (<c>pm_…</c>).</returns>
    public string AttachCard(string customer, string fingerprint, string last4 = "4242")
    {
        var id = "pm_" + state.Next();
        lock (state.Gate)
        {
            state.PaymentMethods.Add(new JsonObject
            {
                ["id"] = id, ["object"] = "payment_method", ["type"] = "card", ["customer"] = customer, ["created"] = StripeState.Now(), ["livemode"] = false,
                ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = last4, ["exp_month"] = 12, ["exp_year"] = 2030, ["fingerprint"] = fingerprint },
            });
        }

        return id;
    }

    /// <summary><c>GET /v1/payment_methods</c> of a customer (optionally of one <c>type</c>).</summary>
    public JsonObject ListPaymentMethods(IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var type = query["type"].ToString();
        lock (state.Gate)
        {
            return StripeHttp.List(state.PaymentMethods.Where(m => (string?)m["customer"] == customer && (type.Length == 0 || (string?)m["type"] == type))
                .Select(m => (JsonNode)m.DeepClone()).ToList(), "/v1/payment_methods");
        }
    }
}
