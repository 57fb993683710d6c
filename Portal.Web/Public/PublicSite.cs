using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Portal.Domain.Agencies;

namespace Portal.Web.Public;

/// <summary>
/// Entry of the public site: an anonymous visitor to <c>/</c> reads the landing page (<see cref="LandingPath"/>), a
/// signed-in user still reaches the dashboard at <c>/</c>. On an agency's verified domain there is no Portal landing page:
/// an anonymous visitor is sent to the (agency-branded) sign-in page instead.
/// </summary>
public static class PublicSite
{
    /// <summary>Where the landing page is rendered (served at <c>/</c> to anonymous visitors).</summary>
    public const string LandingPath = "/welcome";

    /// <summary>Where an anonymous visitor on an agency's verified domain is sent from <c>/</c>.</summary>
    public const string SignInPath = "/Account/Login";

    /// <summary>
    /// Rewrites an anonymous <c>GET /</c> to the landing page (or, on an agency's verified domain, redirects it to the
    /// sign-in page) and handles affiliate links (<see cref="ReferralTracking"/>). Runs before routing.
    /// </summary>
    public static IApplicationBuilder UsePublicSite(this IApplicationBuilder app)
    {
        app.UseReferralTracking();
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                var auth = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
                if (!auth.Succeeded)
                {
                    var brand = await context.RequestServices.GetRequiredService<BrandResolver>()
                        .ResolveAsync(context.Request.Host.Value, null, null, context.RequestAborted);
                    if (brand.IsAgency)
                    {
                        // An agency's clients never see Portal's own marketing: its domain opens on its branded sign-in page.
                        context.Response.Redirect(SignInPath);
                        return;
                    }

                    context.Request.Path = LandingPath;
                }
            }

            await next(context);
        });
    }

    /// <summary>Registers the public site's services.</summary>
    public static IServiceCollection AddPublicSite(this IServiceCollection services)
    {
        services.AddSingleton<ReferralCookie>();
        services.AddScoped<DemoLine>();
        services.AddOptions<DemoCallOptions>().BindConfiguration("PublicSite:DemoCall");
        services.AddSingleton<DemoCallLimits>();
        services.AddSingleton<Courses.CertificatePdf>();
        services.AddSingleton<Courses.LessonMarkdown>();
        return services;
    }
}
