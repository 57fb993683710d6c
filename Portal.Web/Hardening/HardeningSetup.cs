namespace Portal.Web.Hardening;

/// <summary>Wiring of the production hardening: problem details, security headers, input and webhook limits.</summary>
public static class HardeningSetup
{
    /// <summary>Adds the <see cref="ProblemExceptionHandler"/>, static-asset compression, HSTS settings and removes Kestrel's <c>Server</c> header.</summary>
    public static WebApplicationBuilder AddPortalHardening(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (!builder.Environment.IsDevelopment() && builder.Configuration["ReloadStaticAssetsAtRuntime"] is null)
        {
            // Run from the build output (./run.sh), MapStaticAssets would serve through its hot-reload handler, which sends
            // "no-cache" and answers conditional requests with full 200s; outside Development assets are served as
            // published: fingerprinted URLs "immutable", others revalidated with 304.
            builder.Configuration["ReloadStaticAssetsAtRuntime"] = "false";
        }

        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Static assets the build did not pre-compress (the fingerprinted URLs of a build, as opposed to a publish) are
        // compressed on the way out; only static text types, never pages or API responses (no secrets, no BREACH).
        builder.Services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"];
        });
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>
    /// The middleware, first in the pipeline: security headers, the exception handler (problem details for API and webhook
    /// callers, the error page for people; the developer page in Development), HSTS outside Development, compression of
    /// static text assets, the webhook limits and the API text check.
    /// </summary>
    public static WebApplication UsePortalHardening(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        else
        {
            // The developer page stays for pages; API and webhook callers get problem details here too.
            app.UseWhen(c => ProblemExceptionHandler.IsMachinePath(c.Request.Path), branch => branch.UseExceptionHandler());
        }

        app.UseResponseCompression();
        app.UseWebhookFormLimits();
        app.UseTextInputGuard();
        return app;
    }
}
