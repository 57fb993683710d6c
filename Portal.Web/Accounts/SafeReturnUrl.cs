namespace Portal.Web.Accounts;

/// <summary>
/// Makes a <c>ReturnUrl</c> query value safe to redirect to: only a path on this site is kept; anything
/// that a browser could read as another origin (<c>https://…</c>, <c>//host</c>, <c>/\host</c>,
/// <c>javascript:</c>, control characters) becomes <c>/</c>. See OWASP's Unvalidated Redirects cheat sheet:
/// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
/// </summary>
public static class SafeReturnUrl
{
    /// <summary>Returns <paramref name="returnUrl"/> when it is a local path (starts with one <c>/</c>), otherwise <paramref name="fallback"/>.</summary>
    /// <param name="returnUrl">The untrusted value from the query string; may be null or empty.</param>
    /// <param name="fallback">Where to go instead; must itself be local (default <c>/</c>).</param>
    /// <returns>A path starting with <c>/</c>; never throws.</returns>
    public static string Normalize(string? returnUrl, string fallback = "/")
    {
        if (string.IsNullOrWhiteSpace(returnUrl) || returnUrl.Length > 2048)
        {
            return fallback;
        }

        var url = returnUrl.Trim();
        if (url[0] != '/' || (url.Length > 1 && (url[1] == '/' || url[1] == '\\')))
        {
            return fallback;
        }

        if (url.Any(c => char.IsControl(c) || c == '\\') || !Uri.IsWellFormedUriString(url, UriKind.Relative))
        {
            return fallback;
        }

        return url;
    }
}
