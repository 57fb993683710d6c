using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Billing meter events of <see cref="FakeStripeServer"/>: create (deduplicated by identifier), summaries, injected failures and planted drift.</summary>
internal sealed class StripeMeterEvents(StripeState state)
{
    private long _meterEventRequests;

    /// <summary>Meter event requests served (including duplicates and injected failures).</summary>
    public long Requests => Interlocked.Read(ref _meterEventRequests);

    /// <summary>Accepted meter events, one per identifier.</summary>
    public IReadOnlyList<FakeStripeServer.MeterEvent> Events
    {
        get { lock (state.Gate) { return [.. state.MeterEvents.Values]; } }
    }

    /// <summary><c>POST /v1/billing/meter_events</c>, deduplicated by <c>identifier</c>; counts every request.</summary>
    public async Task MeterEventAsync(HttpContext context, IFormCollection form)
    {
        Interlocked.Increment(ref _meterEventRequests);
        var customer = form["payload[stripe_customer_id]"].ToString();
        var eventName = form["event_name"].ToString();
        if (string.IsNullOrEmpty(customer) || string.IsNullOrEmpty(eventName)
            || !long.TryParse(form["payload[value]"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            await StripeHttp.ErrorAsync(context, 400, "invalid_request_error", "event_name, payload[stripe_customer_id] and a whole payload[value] are required.", "parameter_missing");
            return;
        }

        var identifier = form["identifier"].ToString();
        identifier = identifier.Length == 0 ? "gen_" + state.Next() : identifier;
        var timestamp = long.TryParse(form["timestamp"], CultureInfo.InvariantCulture, out var t) ? t : DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        bool fail;
        lock (state.Gate)
        {
            // Stripe enforces identifier uniqueness (https://docs.stripe.com/api/billing/meter-event/create): a resend is not counted again.
            state.MeterEvents.TryAdd(identifier, new FakeStripeServer.MeterEvent(identifier, eventName, customer, value, timestamp));
            fail = state.Failing.Contains(identifier);
        }

        if (fail)
        {
            await StripeHttp.ErrorAsync(context, 500, "api_error", "An unknown error occurred (injected after storing).", null);
            return;
        }

        await StripeHttp.JsonAsync(context, new JsonObject
        {
            ["object"] = "billing.meter_event", ["created"] = StripeState.Now(), ["event_name"] = eventName, ["identifier"] = identifier, ["livemode"] = false,
            ["payload"] = new JsonObject { ["stripe_customer_id"] = customer, ["value"] = value.ToString(CultureInfo.InvariantCulture) }, ["timestamp"] = timestamp,
        });
    }

    /// <summary><c>GET /v1/billing/meters/{meter}/event_summaries</c>: the customer's total in [start_time, end_time).</summary>
    public JsonObject Summaries(string meter, IQueryCollection query)
    {
        var customer = query["customer"].ToString();
        var start = long.Parse(query["start_time"].ToString(), CultureInfo.InvariantCulture);
        var end = long.Parse(query["end_time"].ToString(), CultureInfo.InvariantCulture);
        long total;
        lock (state.Gate)
        {
            total = state.MeterEvents.Values.Where(e => e.Customer == customer && e.Timestamp >= start && e.Timestamp < end).Sum(e => e.Value);
        }

        var summary = new JsonObject
        {
            ["id"] = "mtrusg_" + state.Next(), ["object"] = "billing.meter_event_summary", ["aggregated_value"] = total, ["end_time"] = end,
            ["livemode"] = false, ["meter"] = meter, ["start_time"] = start,
        };
        return StripeHttp.List([summary], $"/v1/billing/meters/{meter}/event_summaries");
    }

    /// <summary>
    /// Until <see cref="StopFailing"/>, meter events with these identifiers are stored (Stripe accepted them) but answered
    /// with a 500, as when the response is lost: the client (and the job) see a failure and must resend.
    /// </summary>
    public void FailMeterEventsAfterStoring(IEnumerable<string> identifiers)
    {
        lock (state.Gate)
        {
            state.Failing = [.. identifiers];
        }
    }

    /// <summary>Ends <see cref="FailMeterEventsAfterStoring"/>.</summary>
    public void StopFailing()
    {
        lock (state.Gate)
        {
            state.Failing = [];
        }
    }

    /// <summary>Plants a meter event behind Portal's back (reconciliation drift).</summary>
    public void PlantMeterEvent(string customer, long value, DateTimeOffset at)
    {
        lock (state.Gate)
        {
            var id = "planted-" + state.Next();
            state.MeterEvents[id] = new FakeStripeServer.MeterEvent(id, "planted", customer, value, at.ToUnixTimeSeconds());
        }
    }
}
