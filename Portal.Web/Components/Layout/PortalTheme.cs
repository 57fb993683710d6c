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
            // Text contrast of at least 4.5:1 on white and on the background (WCAG 2.2 SC 1.4.3,
            // https://www.w3.org/TR/WCAG22/#contrast-minimum): white on the status colours (chips, filled alerts) and the
            // colours as text (warning and error messages, helper text). MudBlazor's defaults measure 2.2–4.5:1.
            Success = "#2E7D32",
            Warning = "#B45309",
            Error = "#C62828",
            Info = "#1565C0",
            TextSecondary = "#5F6368",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
