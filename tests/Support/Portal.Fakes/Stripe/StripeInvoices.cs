using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Invoices and credit notes of <see cref="FakeStripeServer"/>: renewals, declined payments, refunds and the invoice list.</summary>
internal sealed class StripeInvoices(StripeState state, StripeSubscriptions subscriptions, StripeWebhookSender webhooks, Uri baseUrl)
{
    /// <summary>Creates an open invoice for the customer and sends <c>invoice.payment_failed</c> (a declined card).</summary>
    /// <returns>The invoice.</returns>
    public async Task<JsonObject> FailPaymentAsync(string customer, long amountDue)
    {
        JsonObject invoice;
        lock (state.Gate)
        {
            invoice = NewInvoice(customer, subscriptions.SubscriptionOf(customer)?["id"]?.GetValue<string>(), amountDue, "open");
        }

        await webhooks.SendAsync("invoice.payment_failed", invoice);
        return invoice;
    }

    /// <summary>Bills the customer's subscription: a paid invoice of <paramref name="amountPaid"/> cents and <c>invoice.paid</c> (a renewal).</summary>
    /// <returns>The invoice.</returns>
    public async Task<JsonObject> PayInvoiceAsync(string customer, long amountPaid)
    {
        JsonObject invoice;
        lock (state.Gate)
        {
            invoice = NewInvoice(customer, subscriptions.SubscriptionOf(customer)?["id"]?.GetValue<string>(), amountPaid, "paid");
        }

        await webhooks.SendAsync("invoice.paid", invoice);
        return invoice;
    }

    /// <summary>
    /// Refunds <paramref name="amount"/> cents of a paid invoice the way Stripe does for invoices: a credit note
    /// (https://docs.stripe.com/api/credit_notes/object) with <c>invoice</c> and <c>total</c>, sent as <c>credit_note.created</c>.
    /// </summary>
    public async Task<JsonObject> RefundInvoiceAsync(string invoiceId, long amount)
    {
        JsonObject creditNote;
        lock (state.Gate)
        {
            var invoice = state.Invoices.FirstOrDefault(i => (string?)i["id"] == invoiceId) ?? throw new ArgumentException($"No such invoice: {invoiceId}");
            creditNote = new JsonObject
            {
                ["id"] = "cn_" + state.Next(), ["object"] = "credit_note", ["invoice"] = invoiceId, ["customer"] = (string?)invoice["customer"], ["amount"] = amount,
                ["total"] = amount, ["subtotal"] = amount, ["currency"] = "usd", ["status"] = "issued", ["type"] = "post_payment", ["created"] = StripeState.Now(), ["livemode"] = false,
                ["number"] = "CN-" + state.Next(), ["metadata"] = new JsonObject(),
            };
        }

        await webhooks.SendAsync("credit_note.created", creditNote);
        return creditNote;
    }

    /// <summary><c>GET /v1/invoices</c> of a customer, newest first, at most <c>limit</c>.</summary>
    public JsonObject ListInvoices(IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 10;
        lock (state.Gate)
        {
            return StripeHttp.List(state.Invoices.Where(i => (string?)i["customer"] == customer).OrderByDescending(i => (long)i["created"]!).Take(limit)
                .Select(i => (JsonNode)i.DeepClone()).ToList(), "/v1/invoices");
        }
    }

    /// <summary>Stores a new invoice (call under <see cref="StripeState.Gate"/>) and returns a copy.</summary>
    public JsonObject NewInvoice(string customer, string? subscription, long amountDue, string status)
    {
        var id = "in_" + state.Next();
        var invoice = new JsonObject
        {
            ["id"] = id, ["object"] = "invoice", ["customer"] = customer, ["subscription"] = subscription, ["status"] = status, ["created"] = StripeState.Now(),
            ["amount_due"] = amountDue, ["amount_paid"] = status == "paid" ? amountDue : 0, ["currency"] = "usd", ["livemode"] = false,
            ["number"] = "FAKE-" + state.Invoices.Count.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
            ["hosted_invoice_url"] = new Uri(baseUrl, "/invoice/" + id).ToString(), ["invoice_pdf"] = new Uri(baseUrl, "/invoice/" + id + "/pdf").ToString(),
            ["metadata"] = new JsonObject(),
        };
        state.Invoices.Add(invoice);
        return (JsonObject)invoice.DeepClone();
    }
}
