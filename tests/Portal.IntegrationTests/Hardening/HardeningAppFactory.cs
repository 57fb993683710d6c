using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Hardening;

/// <summary>
/// The app on Kestrel (so response headers are the real server's) in a non-Development environment, with its log kept,
/// and one extra test route behind the whole pipeline, <c>/api/test/throw</c>, that fails with an exception carrying
/// internal details (a message, a source path) that must never reach the caller.
/// </summary>
public sealed class HardeningAppFactory : PortalAppFactory
{
    public const string SecretDetail = "connection to /srv/portal/secret.db refused";

    protected override bool UseRealServer => true;

    public ServerLog Log { get; } = new("Microsoft.EntityFrameworkCore.Database.Command", "Microsoft.EntityFrameworkCore.Migrations");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ThrowingRoute>());
    }

    private sealed class ThrowingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // After the app's own pipeline: reached only by requests no endpoint answered, inside the exception handler.
            app.Map("/api/test/throw", branch => branch.Run(_ => throw new InvalidOperationException(SecretDetail)));
        };
    }
}
