using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Data.Tenancy;
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
                    // Pages write muted text in the secondary colour: a light brand colour is darkened until it reads.
                    Secondary = ReadableOnWhite(colors.Item2),
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

    /// <summary>
    /// <paramref name="hex"/> (<c>#RRGGBB</c> or <c>#RGB</c>) as is when text in it on white has a WCAG contrast ratio of at
    /// least 4.5:1, else the same hue darkened (mixed with black in 5 % steps) until it has; anything else is returned as is.
    /// Contrast and relative luminance as WCAG 2.2 defines them (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
    /// </summary>
    /// <param name="hex">A CSS hex colour.</param>
    /// <returns>A hex colour (<c>#rrggbb</c> when changed).</returns>
    public static string ReadableOnWhite(string hex)
    {
        if (!TryParse(hex, out var r, out var g, out var b))
        {
            return hex;
        }

        for (var k = 1.0; k > 0; k -= 0.05)
        {
            var (dr, dg, db) = (r * k, g * k, b * k);
            if (1.05 / (Luminance(dr, dg, db) + 0.05) >= 4.5)
            {
                return k == 1.0 ? hex : $"#{(int)Math.Round(dr):x2}{(int)Math.Round(dg):x2}{(int)Math.Round(db):x2}";
            }
        }

        return "#000000";
    }

    private static bool TryParse(string hex, out double r, out double g, out double b)
    {
        r = g = b = 0;
        var h = hex?.Trim().TrimStart('#') ?? "";
        if (h.Length == 3)
        {
            h = string.Concat(h.Select(c => new string(c, 2)));
        }

        if (h.Length != 6 || !int.TryParse(h, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        (r, g, b) = ((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
        return true;
    }

    private static double Luminance(double r, double g, double b)
    {
        static double Channel(double c)
        {
            c /= 255;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(r)) + (0.7152 * Channel(g)) + (0.0722 * Channel(b));
    }
}
