using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Billing;
using Portal.Billing.Stripe;
using Portal.Domain.Calls;
using Portal.Domain.Notifications;
using Portal.Voice.Twilio;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// Billing's HTTP edge: <c>POST /stripe/webhook</c> (Stripe events, verified by <c>Stripe-Signature</c>:
/// https://docs.stripe.com/webhooks#verify-events; 400 and nothing stored when it does not verify), the owner's
/// redirects to Checkout and the Customer Portal (<c>GET /billing/checkout/{plan}</c>, <c>GET /billing/portal</c>),
/// and <c>POST /twilio/limited-voicemail</c>, where Twilio posts the voicemail of a call limited by billing
/// (<c>X-Twilio-Signature</c> checked; https://www.twilio.com/docs/voice/twiml/record#attributes-action).
/// </summary>
public static class BillingEndpoints
{
    /// <summary>Largest webhook body accepted, bytes.</summary>
    public const int MaxWebhookBytes = 512 * 1024;

    /// <summary>Maps the billing endpoints.</summary>
    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/stripe/webhook", WebhookAsync).WithTags("Stripe").AllowAnonymous().DisableAntiforgery();
        var owner = app.MapGroup("/billing").WithTags("Billing").RequireAuthorization(Policies.BusinessOwner);
        owner.MapGet("/checkout/{plan}", CheckoutAsync);
        owner.MapGet("/portal", PortalAsync);
        app.MapPost(BillingLimitTwiml.RecordingAction, VoicemailAsync).WithTags("Twilio").AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<string>, BadRequest<string>>> WebhookAsync(HttpRequest request, StripeWebhookProcessor processor, CancellationToken ct)
    {
        if (request.ContentLength > MaxWebhookBytes)
        {
            return TypedResults.BadRequest("Body too large.");
        }

        // The signature covers the exact bytes: read the body as received, never re-serialized.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var payload = await reader.ReadToEndAsync(ct);
        var outcome = await processor.HandleAsync(payload, request.Headers["Stripe-Signature"].ToString(), ct);
        return outcome switch
        {
            WebhookOutcome.Rejected => TypedResults.BadRequest("Signature verification failed."),
            WebhookOutcome.Duplicate => TypedResults.Ok("duplicate"),
            _ => TypedResults.Ok("ok"),
        };
    }

    private static async Task<Results<RedirectHttpResult, BadRequest<string>>> CheckoutAsync(string plan, HttpRequest request, BillingService billing, CancellationToken ct)
    {
        if (!Enum.TryParse<Portal.Data.Entities.Plan>(plan, ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen))
        {
            return TypedResults.BadRequest($"Unknown plan '{plan}'.");
        }

        try
        {
            var origin = request.Scheme + "://" + request.Host;
            var url = await billing.StartCheckoutAsync(chosen, origin + "/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}", origin + "/billing?checkout=cancelled", ct);
            return TypedResults.Redirect(url ?? "/billing?changed=" + chosen);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or global::Stripe.StripeException)
        {
            return TypedResults.BadRequest(ex.Message);
        }
    }

    private static async Task<Results<RedirectHttpResult, BadRequest<string>>> PortalAsync(HttpRequest request, BillingService billing, CancellationToken ct)
    {
        try
        {
            return TypedResults.Redirect(await billing.PortalUrlAsync(request.Scheme + "://" + request.Host + "/billing", ct));
        }
        catch (Exception ex) when (ex is InvalidOperationException or global::Stripe.StripeException)
        {
            return TypedResults.BadRequest(ex.Message);
        }
    }

    private static async Task<Results<ContentHttpResult, StatusCodeHttpResult>> VoicemailAsync(
        HttpRequest request, IOptions<TelephonyWebhookOptions> options, ISandboxCredentials credentials, CallRouter router, PlatformNotifier notifier, CancellationToken ct)
    {
        var signature = request.Headers[TwilioSignature.HeaderName].ToString();
        if (string.IsNullOrEmpty(signature) || !request.HasFormContentType)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var form = await request.ReadFormAsync(ct);
        var publicBase = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? request.Scheme + "://" + request.Host.Value : options.Value.PublicBaseUrl.Trim().TrimEnd('/');
        if (!TwilioSignature.IsValid(credentials.AuthToken, publicBase + request.PathBase + request.Path + request.QueryString, form, signature))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var route = await router.RouteAsync(form["To"].ToString(), ct);
        var recording = form["RecordingUrl"].ToString();
        if (route.TenantId is { } tenantId && recording.Length > 0)
        {
            var from = form["From"].ToString();
            await notifier.CallerMessageAsync(tenantId, null, from.StartsWith('+') ? from : null,
                $"Voicemail ({form["RecordingDuration"]} s) left while calls were limited by billing: {recording}", ct);
        }

        return TypedResults.Content(PortalTwiml.SayThenHangup("Thank you. We'll get back to you soon. Goodbye."), PortalTwiml.ContentType);
    }
}
