using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Portal.Domain.Numbers;
using Portal.Domain.Observability;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Observability;

/// <summary>The app with the OpenTelemetry in-memory trace exporter added, and Twilio webhook signing configured.</summary>
public sealed class TelemetryAppFactory : PortalAppFactory
{
    public const string PublicBaseUrl = "https://Portal.Example.test";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    /// <summary>Spans exported by this app (and, since the Portal source is static, by others in the process: filter by tag).</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telephony:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Telephony:AuthToken", AuthToken);
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(new QueueCollection(Spans))));
    }

    /// <summary>A thread-safe collection view over a queue (the exporter adds from request threads).</summary>
    private sealed class QueueCollection(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public int Count => queue.Count;

        public bool IsReadOnly => false;

        public void Add(Activity item) => queue.Enqueue(item);

        public void Clear() => queue.Clear();

        public bool Contains(Activity item) => queue.Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => queue.ToArray().CopyTo(array, arrayIndex);

        public bool Remove(Activity item) => throw new NotSupportedException();

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)queue).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>The app's own spans and metrics (<see cref="PortalTelemetry"/>) as an OpenTelemetry exporter or a meter listener sees them.</summary>
public sealed class TelemetryTests(TelemetryAppFactory app) : IClassFixture<TelemetryAppFactory>
{
    [Fact]
    public async Task ChatTurn_OverTheApi_ProducesADialogueTurnSpanWithTenantAndConversation()
    {
        var tenant = await app.CreateTenantAsync("Otel Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var started = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();

        var turn = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "What are your opening hours?" });
        Assert.Equal(HttpStatusCode.OK, turn.StatusCode);

        // The span is exported when it stops, which is before the response is written.
        var span = Assert.Single(app.Spans, a => a.OperationName == "dialogue.turn" && (string?)a.GetTagItem(PortalTelemetry.ConversationTag) == id.ToString());
        Assert.Equal(PortalTelemetry.SourceName, span.Source.Name);
        Assert.Equal(tenant.TenantId.ToString(), span.GetTagItem(PortalTelemetry.TenantTag));
        Assert.False(string.IsNullOrEmpty(span.GetTagItem(PortalTelemetry.EngineTag) as string));
        // The turn ran inside the request: its span is a child of the ASP.NET Core request span (exported once the request ends).
        await WaitUntilAsync(() => app.Spans.Any(a => a.SpanId == span.ParentSpanId && a.Source.Name == "Microsoft.AspNetCore"));
    }

    [Fact]
    public async Task SignedVoiceWebhook_RecordsAWebhookDuration()
    {
        var measurements = new ConcurrentQueue<(double Ms, string? Route, object? Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PortalTelemetry.MeterName && instrument.Name == "portal.webhook.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? route = null;
            object? status = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route")
                {
                    route = tag.Value as string;
                }
                else if (tag.Key == "http.response.status_code")
                {
                    status = tag.Value;
                }
            }

            measurements.Enqueue((value, route, status));
        });
        listener.Start();

        var tenant = await app.CreateTenantAsync("Otel Webhook Dental");
        var number = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None));
        Assert.NotNull(number);
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["CallStatus"] = "ringing",
            ["Direction"] = "inbound",
            ["From"] = "+14155550199",
            ["To"] = number.E164,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(TelemetryAppFactory.AuthToken, TelemetryAppFactory.PublicBaseUrl + "/twilio/voice",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Recorded in the middleware's finally, which may run just after the in-process client has the response.
        // (Other test classes may post webhooks at the same time: the meter is static, so only presence is asserted.)
        await WaitUntilAsync(() => measurements.Any(m => m.Route == "/twilio/voice" && Equals(m.Status, 200)));
        Assert.All(measurements, m => Assert.True(m.Ms > 0));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "The condition was not met within 30 s.");
            await Task.Delay(20);
        }
    }
}
