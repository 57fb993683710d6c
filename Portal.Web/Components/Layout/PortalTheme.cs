using MudBlazor;

namespace Portal.Web.Components.Layout;

/// <summary>The portal's MudBlazor theme.</summary>
public static class PortalTheme
{
    /// <summary>Theme shared by every layout.</summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2F5BEA",
            Secondary = "#6B7280",
            AppbarBackground = "#1E3A8A",
            Background = "#F7F8FB",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
