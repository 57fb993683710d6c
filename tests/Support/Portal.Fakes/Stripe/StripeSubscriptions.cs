using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Subscriptions of <see cref="FakeStripeServer"/>: create (idempotent), retrieve and update items, quantities and metadata.</summary>
internal sealed class StripeSubscriptions(StripeState state, StripeWebhookSender webhooks)
{
    /// <summary>
    /// <c>POST /v1/subscriptions</c> (https://docs.stripe.com/api/subscriptions/create) for an existing customer: items from
    /// <c>items[i][price]</c> (with <c>items[i][quantity]</c> for licensed prices), <c>collection_method</c>,
    /// <c>days_until_due</c>, metadata; active at once; an <c>Idempotency-Key</c> seen before returns the first answer.
    /// </summary>
    public async Task CreateSubscriptionAsync(HttpContext context, IFormCollection form)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        JsonObject? created = null;
        lock (state.Gate)
        {
            if (key.Length > 0 && state.Idempotent.TryGetValue(key, out var earlier))
            {
                created = (JsonObject)earlier.DeepClone();
            }
        }

        if (created is not null)
        {
            await StripeHttp.JsonAsync(context, created);
            return;
        }

        var customer = form["customer"].ToString();
        bool known;
        lock (state.Gate)
        {
            known = state.Customers.ContainsKey(customer);
        }

        if (!known || string.IsNullOrEmpty(form["items[0][price]"]))
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error", "customer (existing) and items are required.", "parameter_invalid");
            return;
        }

        var now = StripeState.Now();
        var id = "sub_" + state.Next();
        var items = new JsonArray();
        for (var i = 0; form.ContainsKey($"items[{i}][price]"); i++)
        {
            var item = new JsonObject
            {
                ["id"] = "si_" + state.Next(), ["object"] = "subscription_item", ["created"] = now, ["subscription"] = id,
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
            ["metadata"] = StripeHttp.Metadata(form, "metadata"),
            ["items"] = new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = "/v1/subscription_items?subscription=" + id },
        };
        lock (state.Gate)
        {
            state.Subscriptions[id] = subscription;
            if (key.Length > 0)
            {
                state.Idempotent[key] = (JsonObject)subscription.DeepClone();
            }

            created = (JsonObject)subscription.DeepClone();
        }

        await StripeHttp.JsonAsync(context, created);
        await webhooks.SendAsync("customer.subscription.created", created);
    }

    /// <summary><c>POST /v1/subscriptions/{id}</c>: remove items, change quantities, add prices, merge metadata; sends <c>customer.subscription.updated</c>.</summary>
    public async Task UpdateSubscriptionAsync(HttpContext context, string id, IFormCollection form)
    {
        JsonObject copy;
        lock (state.Gate)
        {
            if (!state.Subscriptions.TryGetValue(id, out var subscription))
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
                            ["id"] = "si_" + state.Next(), ["object"] = "subscription_item", ["created"] = StripeState.Now(), ["subscription"] = id,
                            ["price"] = new JsonObject { ["id"] = form[$"items[{i}][price]"].ToString(), ["object"] = "price" },
                            ["current_period_start"] = first?["current_period_start"]?.DeepClone() ?? StripeState.Now(),
                            ["current_period_end"] = first?["current_period_end"]?.DeepClone() ?? DateTimeOffset.UtcNow.AddMonths(1).ToUnixTimeSeconds(),
                        });
                        if (form.ContainsKey($"items[{i}][quantity]"))
                        {
                            items[^1]!["quantity"] = long.Parse(form[$"items[{i}][quantity]"]!, System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                }

                foreach (var (key, value) in StripeHttp.Metadata(form, "metadata"))
                {
                    subscription["metadata"]![key] = value?.DeepClone();
                }

                subscription["_proration_behavior"] = form["proration_behavior"].ToString();
                copy = (JsonObject)subscription.DeepClone();
            }
        }

        if (copy is null)
        {
            await StripeHttp.ErrorAsync(context, 404, "invalid_request_error", $"No such subscription: '{id}'", "resource_missing");
            return;
        }

        copy.Remove("_proration_behavior");
        await StripeHttp.JsonAsync(context, copy);
        await webhooks.SendAsync("customer.subscription.updated", copy);
    }

    /// <summary>The subscription with <paramref name="id"/> as stored (a copy).</summary>
    public JsonObject? Subscription(string id)
    {
        lock (state.Gate) { return state.Subscriptions.TryGetValue(id, out var s) ? (JsonObject)s.DeepClone() : null; }
    }

    /// <summary>The latest subscription of <paramref name="customer"/> (a copy), or null.</summary>
    public JsonObject? SubscriptionOf(string customer)
    {
        lock (state.Gate)
        {
            return state.Subscriptions.Values.Where(s => (string?)s["customer"] == customer).OrderBy(s => (long)s["created"]!).LastOrDefault()?.DeepClone() as JsonObject;
        }
    }
}
