using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The shared bUnit context: MudBlazor's services, loose JS interop (MudBlazor's JS calls answer defaults), and, when a
/// <see cref="PortalServicesFixture"/> is given, the app's real services behind bUnit's own as a fallback provider.
/// Components that open popovers or dialogs are rendered under <see cref="RenderWithProviders"/>.
/// </summary>
public abstract class PortalTestContext : BunitContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="services">The real services, or null for components that take everything as parameters.</param>
    protected PortalTestContext(PortalServicesFixture? services = null)
    {
        // Conditions are waited for, never slept on; a busy shared machine gets a generous ceiling.
        DefaultWaitTimeout = TimeSpan.FromSeconds(20);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        if (services is not null)
        {
            Services.AddFallbackServiceProvider(services.Services);
        }
    }

    /// <summary>
    /// xUnit disposes test classes synchronously, but some MudBlazor services are only <see cref="IAsyncDisposable"/>:
    /// dispose the services asynchronously first (the later synchronous pass finds them disposed).
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsyncCore().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>Renders MudBlazor's popover, dialog and snackbar providers once, so selects, dialogs and snackbars show up in <see cref="Providers"/>.</summary>
    protected IRenderedComponent<MudProviders> RenderProviders() => Render<MudProviders>();

    /// <summary>The rendered providers, after <see cref="RenderProviders"/>.</summary>
    protected IRenderedComponent<MudProviders>? Providers { get; private set; }

    /// <summary>Renders the providers (once) and returns them.</summary>
    protected IRenderedComponent<MudProviders> RenderWithProviders() => Providers ??= RenderProviders();
}
