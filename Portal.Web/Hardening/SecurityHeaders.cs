namespace Portal.Web.Hardening;

/// <summary>
/// Response headers a scanner expects on every response (OWASP Secure Headers Project,
/// https://owasp.org/www-project-secure-headers/): a Content-Security-Policy that a Blazor Server app with MudBlazor runs
/// under (scripts and fonts from this origin only; inline styles, which MudBlazor sets on elements; the circuit's
/// WebSocket to this origin; blob: workers and media for the browser call), <c>X-Content-Type-Options: nosniff</c>,
/// <c>Referrer-Policy: strict-origin-when-cross-origin</c>, <c>X-Frame-Options: DENY</c> and a Permissions-Policy that
/// grants only the microphone to this origin. HSTS is added by <c>UseHsts</c> on HTTPS requests outside Development.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The Content-Security-Policy sent with every response (CSP Level 3, https://www.w3.org/TR/CSP3/).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self' ws: wss:; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
        + "form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy of the API reference page (<c>/api/reference</c>): Scalar's page configures itself with an inline script,
    /// so inline scripts are allowed there and only there; everything else is as strict as <see cref="ContentSecurityPolicy"/>.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response (before the response starts, so they are on error pages too).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/reference") ? ApiReferencePolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=(self)";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        await next(context);
    });
}
