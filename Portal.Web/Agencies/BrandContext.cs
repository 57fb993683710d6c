using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Domain.Agencies;
using Portal.Domain.Tenancy;

namespace Portal.Web.Agencies;

/// <summary>
/// The brand of the current request or Blazor circuit, resolved once per scope through <see cref="BrandResolver"/> from
/// the host the browser used (<see cref="NavigationManager.BaseUri"/>, which a circuit keeps after its HTTP request has
/// gone), the current tenant and the signed-in user. Layouts, page titles and the favicon read it.
/// </summary>
public sealed class BrandContext(BrandResolver resolver, NavigationManager navigation, ITenantContext tenant, AuthenticationStateProvider authentication, IHttpContextAccessor http)
{
    private Brand? _brand;
    private Guid? _forTenant;

    /// <summary>The brand; resolved again when the current tenant changed (a "view as" started or ended).</summary>
    public async Task<Brand> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_brand is not null && _forTenant == tenant.TenantId)
        {
            return _brand;
        }

        string? host;
        try
        {
            host = new Uri(navigation.BaseUri).Authority;
        }
        catch (InvalidOperationException)
        {
            // Outside a component (an endpoint): the request's host.
            host = http.HttpContext?.Request.Host.Value;
        }

        ClaimsPrincipal? user;
        try
        {
            user = (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            user = http.HttpContext?.User;
        }

        Guid? userId = Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        _forTenant = tenant.TenantId;
        _brand = await resolver.ResolveAsync(host, tenant.TenantId, userId, cancellationToken);
        return _brand;
    }
}

/// <summary>MudBlazor themes built from brands: Portal's own, or an agency's colours on the same layout properties.</summary>
public static class BrandTheme
{
    private static readonly ConcurrentDictionary<(string, string), MudTheme> Themes = new();

    /// <summary>The theme of <paramref name="brand"/> (cached per colour pair).</summary>
    public static MudTheme For(Brand brand)
    {
        ArgumentNullException.ThrowIfNull(brand);
        if (!brand.IsAgency)
        {
            return Components.Layout.PortalTheme.Theme;
        }

        return Themes.GetOrAdd((brand.PrimaryColor, brand.SecondaryColor), colors =>
        {
            var stock = Components.Layout.PortalTheme.Theme.PaletteLight;
            return new MudTheme
            {
                PaletteLight = new PaletteLight
                {
                    Primary = colors.Item1,
                    Secondary = colors.Item2,
                    AppbarBackground = colors.Item1,
                    Background = stock.Background,
                    Success = stock.Success,
                    Warning = stock.Warning,
                    Error = stock.Error,
                    Info = stock.Info,
                    TextSecondary = stock.TextSecondary,
                },
                LayoutProperties = Components.Layout.PortalTheme.Theme.LayoutProperties,
            };
        });
    }
}
