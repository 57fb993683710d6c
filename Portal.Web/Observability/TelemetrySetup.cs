using System.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Domain.Observability;

namespace Portal.Web.Observability;

/// <summary>
/// OpenTelemetry for the app (https://opentelemetry.io/docs/languages/dotnet/): traces of ASP.NET Core requests, outgoing
/// HttpClient calls, Npgsql commands and the app's own <see cref="PortalTelemetry"/> spans; metrics of ASP.NET Core,
/// HttpClient, the .NET runtime and the <see cref="PortalTelemetry"/> meter. Exported over OTLP only when an endpoint is
/// configured: <c>Telemetry:OtlpEndpoint</c> (with <c>Telemetry:OtlpProtocol</c> <c>grpc</c>, the default, or
/// <c>http/protobuf</c>), or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable
/// (https://opentelemetry.io/docs/specs/otel/protocol/exporter/); logs (with their scopes) are exported then too.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Configuration key of the OTLP collector's address (e.g. <c>http://localhost:4317</c>).</summary>
    public const string OtlpEndpointKey = "Telemetry:OtlpEndpoint";

    /// <summary>Configuration key of the OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public const string OtlpProtocolKey = "Telemetry:OtlpProtocol";

    /// <summary>Adds tracing and metrics (and OTLP export when configured).</summary>
    /// <exception cref="InvalidOperationException"><c>Telemetry:OtlpEndpoint</c> is not an absolute URI, or the protocol is unknown.</exception>
    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: "portal"))
            .WithTracing(tracing => tracing
                .AddSource(PortalTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(PortalTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        var configured = builder.Configuration[OtlpEndpointKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var endpoint))
            {
                throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute URI such as http://localhost:4317.");
            }

            var protocol = (builder.Configuration[OtlpProtocolKey] ?? "grpc") switch
            {
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException($"{OtlpProtocolKey} '{other}' is not grpc or http/protobuf."),
            };
            otel.WithLogging(_ => { }, o => o.IncludeScopes = true).UseOtlpExporter(protocol, endpoint);
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithLogging(_ => { }, o => o.IncludeScopes = true).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Times every <c>/twilio/*</c> webhook on <see cref="PortalTelemetry.WebhookDuration"/> (<c>portal.webhook.duration</c>,
    /// ms, tagged with the path and the status code). Placed first in the pipeline so the time includes error handling.
    /// </summary>
    public static IApplicationBuilder UsePortalWebhookTiming(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/twilio"),
            branch => branch.Use(async (context, next) =>
            {
                long started = Stopwatch.GetTimestamp();
                try
                {
                    await next(context);
                }
                finally
                {
                    PortalTelemetry.WebhookDuration.Record(
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                        new KeyValuePair<string, object?>("http.route", context.Request.Path.Value),
                        new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
                }
            }));
}
