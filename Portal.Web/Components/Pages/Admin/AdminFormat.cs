using System.Globalization;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>Formatting shared by the platform-admin pages (fixed en-US/UTC: admins compare across businesses).</summary>
internal static class AdminFormat
{
    private static readonly CultureInfo UsCulture = CultureInfo.GetCultureInfo("en-US");

    /// <summary>Cents as US dollars ("$1.15").</summary>
    public static string Money(long cents) => (cents / 100m).ToString("C", UsCulture);

    /// <summary>A UTC timestamp as "2026-11-23 14:05 UTC", or an em dash.</summary>
    public static string Utc(DateTimeOffset? at) => Shared.TenantTime.Utc(at);
}
