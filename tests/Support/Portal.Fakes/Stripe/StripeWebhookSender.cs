using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Fakes.Stripe;

/// <summary>
/// Delivers Stripe webhook events the way Stripe does (https://docs.stripe.com/webhooks): a JSON <c>event</c> object
/// POSTed with <c>Stripe-Signature: t={unix},v1={hex HMAC-SHA256(secret, "{t}.{payload}")}</c>
/// (https://docs.stripe.com/webhooks#verify-manually). Keeps every event sent so tests can redeliver one.
/// </summary>
public sealed class StripeWebhookSender(Uri? target, string secret, HttpClient client) : IDisposable
{
    private readonly List<(string Id, string Payload)> _sent = [];
    private int _sequence;

    /// <summary>Where events go (the app's <c>/stripe/webhook</c>).</summary>
    public Uri? Target { get; set; } = target;

    /// <summary>The client delivering events (tests may hand in one bound to an in-process app).</summary>
    public HttpClient Client { get; set; } = client;

    /// <summary>Status codes the app answered, in order.</summary>
    public List<int> Responses { get; } = [];

    /// <summary>The API version stamped on events.</summary>
    public const string ApiVersion = "2025-11-17.clover";

    /// <summary>Builds an event around <paramref name="data"/>, signs and sends it.</summary>
    /// <param name="type">Event type, e.g. <c>invoice.paid</c>.</param>
    /// <param name="data">The <c>data.object</c>.</param>
    /// <param name="created">Event <c>created</c> (default now).</param>
    /// <returns>The event id and the app's status code.</returns>
    public async Task<(string EventId, int Status)> SendAsync(string type, JsonObject data, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var id = "evt_" + Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..10];
        var payload = new JsonObject
        {
            ["id"] = id, ["object"] = "event", ["api_version"] = ApiVersion, ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = data.DeepClone() }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null }, ["type"] = type,
        }.ToJsonString();
        lock (_sent)
        {
            _sent.Add((id, payload));
        }

        return (id, await PostAsync(payload, Sign(payload, DateTimeOffset.UtcNow)));
    }

    /// <summary>Redelivers an event exactly as first sent (freshly signed, as Stripe's retries are).</summary>
    public Task<int> ResendAsync(string eventId)
    {
        string payload;
        lock (_sent)
        {
            payload = _sent.Single(e => e.Id == eventId).Payload;
        }

        return PostAsync(payload, Sign(payload, DateTimeOffset.UtcNow));
    }

    /// <summary>Posts a body with any header (forged signatures).</summary>
    public Task<int> SendRawAsync(string payload, string signatureHeader) => PostAsync(payload, signatureHeader);

    /// <summary>The <c>Stripe-Signature</c> header for <paramref name="payload"/> at <paramref name="at"/> with this sender's secret.</summary>
    public string Sign(string payload, DateTimeOffset at) => Sign(payload, at, secret);

    /// <summary>The <c>Stripe-Signature</c> header for <paramref name="payload"/> at <paramref name="at"/> with <paramref name="key"/>.</summary>
    public static string Sign(string payload, DateTimeOffset at, string key)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(t + "." + payload));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task<int> PostAsync(string payload, string signature)
    {
        if (Target is null)
        {
            return 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Target) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        using var response = await Client.SendAsync(request);
        lock (Responses)
        {
            Responses.Add((int)response.StatusCode);
        }

        return (int)response.StatusCode;
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
