using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Affiliates;

namespace Portal.Web.Public;

/// <summary>
/// Affiliate links: a page visit with <c>?ref=CODE</c> (and optional <c>utm_source</c>, <c>utm_medium</c>,
/// <c>utm_campaign</c>) is counted by <see cref="AffiliateTracking"/> and, when the visitor has no live first touch,
/// sets the <see cref="ReferralCookie"/> for 90 days. A later different code never replaces a live touch. Only top-level
/// page loads count (<c>Sec-Fetch-Dest: document</c> when the browser sends it): images and iframes cannot stuff cookies.
/// </summary>
public static class ReferralTracking
{
    /// <summary><see cref="HttpContext.Items"/> key of this request's live touch (after any new cookie is chosen).</summary>
    public const string CurrentTouchKey = "Portal.Affiliates.Touch";

    /// <summary>Handles <c>?ref=</c> on GET page loads outside the API.</summary>
    public static IApplicationBuilder UseReferralTracking(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Query.TryGetValue("ref", out var codes) && codes.Count == 1
            && !request.Path.StartsWithSegments("/api") && IsPageLoad(request))
        {
            var services = context.RequestServices;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var cookie = services.GetRequiredService<ReferralCookie>();
            var incoming = new AttributionTouch(codes[0]!.Trim(), now, Utm(request, "utm_source"), Utm(request, "utm_medium"), Utm(request, "utm_campaign"));
            var outcome = await services.GetRequiredService<AffiliateTracking>().RecordVisitAsync(incoming, VisitorHash(context), request.Path, context.RequestAborted);
            var existing = cookie.Read(request);
            var chosen = outcome == AffiliateVisitOutcome.Ignored ? existing : AttributionRules.Choose(existing, incoming, now);
            if (chosen is not null && !ReferenceEquals(chosen, existing))
            {
                cookie.Write(context.Response, chosen);
            }

            context.Items[CurrentTouchKey] = chosen is not null && AttributionRules.IsLive(chosen, now) ? chosen : null;
        }

        await next(context);
    });

    private static bool IsPageLoad(HttpRequest request) =>
        !request.Headers.TryGetValue("Sec-Fetch-Dest", out var dest) || dest == "document";

    private static string? Utm(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;

    private static string VisitorHash(HttpContext context)
    {
        var key = $"{context.Connection.RemoteIpAddress}|{context.Request.Headers.UserAgent}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
