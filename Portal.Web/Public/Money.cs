using System.Globalization;

namespace Portal.Web.Public;

/// <summary>US-dollar amounts as the public site prints them.</summary>
public static class Money
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    /// <summary><c>$1,297</c> for whole dollars, <c>$9.60</c> otherwise.</summary>
    /// <param name="cents">Amount, US cents.</param>
    public static string Format(long cents) => cents % 100 == 0
        ? (cents / 100m).ToString("$#,0", Us)
        : (cents / 100m).ToString("$#,0.00", Us);
}
