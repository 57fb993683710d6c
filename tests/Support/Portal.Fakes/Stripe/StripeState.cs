using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.Fakes.Stripe;

/// <summary>Everything the fake Stripe account holds, guarded by <see cref="Gate"/>, and its id sequence.</summary>
internal sealed class StripeState
{
    private int _sequence;

    /// <summary>The lock every read and change of the collections takes.</summary>
    public object Gate { get; } = new();

    public Dictionary<string, JsonObject> Customers { get; } = [];

    public Dictionary<string, JsonObject> Sessions { get; } = [];

    public Dictionary<string, JsonObject> Subscriptions { get; } = [];

    public List<JsonObject> Invoices { get; } = [];

    public List<JsonObject> PortalSessions { get; } = [];

    public Dictionary<string, FakeStripeServer.MeterEvent> MeterEvents { get; } = [];

    public List<JsonObject> PaymentMethods { get; } = [];

    /// <summary>Subscription answers by <c>Idempotency-Key</c>.</summary>
    public Dictionary<string, JsonObject> Idempotent { get; } = [];

    /// <summary>Meter event identifiers answered with a 500 after storing.</summary>
    public HashSet<string> Failing { get; set; } = [];

    /// <summary>A unique id suffix: a sequence number and 8 random hex digits.</summary>
    public string Next() => Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Now in Unix seconds.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
