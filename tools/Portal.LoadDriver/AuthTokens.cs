namespace Portal.LoadDriver;

/// <summary>
/// Finds the auth token that signs the driver's webhooks. A Portal with a Twilio account checks signatures with its
/// configured token (pass it); a keyless Portal generates a sandbox token on first use and stores it in
/// <c>twilio-sandbox-auth-token.txt</c> under <c>DataProtection:KeysPath</c>, or under the user's local application data
/// folder (<c>~/.local/share/Portal</c> on Linux) — Portal.Web's <c>SandboxCredentials</c>, whose rule this mirrors.
/// </summary>
public static class AuthTokens
{
    /// <summary>The sandbox token's file name (as Portal.Web writes it).</summary>
    public const string SandboxFileName = "twilio-sandbox-auth-token.txt";

    /// <summary>
    /// The default sandbox token file: <c>$DataProtection__KeysPath/…</c> when that variable is set (as for the app), else
    /// <c>&lt;local app data&gt;/Portal/…</c>.
    /// </summary>
    public static string DefaultSandboxFile()
    {
        string? keys = Environment.GetEnvironmentVariable("DataProtection__KeysPath");
        if (string.IsNullOrWhiteSpace(keys))
        {
            string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            keys = Path.Combine(string.IsNullOrEmpty(local) ? AppContext.BaseDirectory : local, "Portal");
        }

        return Path.Combine(keys, SandboxFileName);
    }

    /// <summary>
    /// The token: <paramref name="explicitToken"/>, else <c>PORTAL_TWILIO_AUTH_TOKEN</c>, else the contents of
    /// <paramref name="file"/> (or <see cref="DefaultSandboxFile"/>). A keyless Portal writes its file only when it first
    /// checks a signature, so when the file is missing one webhook with a wrong signature is sent first (answered 403; it
    /// makes the app create its token) and the file is read again.
    /// </summary>
    /// <param name="explicitToken">Token from the command line, or null.</param>
    /// <param name="file">Token file from the command line, or null for the default.</param>
    /// <param name="baseUrl">The Portal under test.</param>
    /// <param name="http">Client for the probe.</param>
    /// <param name="log">Where to say which source was used (never the token itself).</param>
    /// <returns>The token, or null when none was found.</returns>
    public static async Task<string?> ResolveAsync(string? explicitToken, string? file, Uri baseUrl, HttpClient http, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(log);
        if (!string.IsNullOrWhiteSpace(explicitToken))
        {
            return explicitToken.Trim();
        }

        if (Environment.GetEnvironmentVariable("PORTAL_TWILIO_AUTH_TOKEN") is { Length: > 0 } fromEnvironment)
        {
            await log.WriteLineAsync("auth token from PORTAL_TWILIO_AUTH_TOKEN");
            return fromEnvironment.Trim();
        }

        string path = string.IsNullOrWhiteSpace(file) ? DefaultSandboxFile() : file;
        if (!File.Exists(path))
        {
            await log.WriteLineAsync($"{path} does not exist yet: sending one wrongly signed webhook so the keyless app creates its token");
            try
            {
                using var probe = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/twilio/voice"))
                {
                    Content = new FormUrlEncodedContent([new("CallSid", "CA" + new string('0', 32))]),
                };
                probe.Headers.Add("X-Twilio-Signature", "probe");
                using var response = await http.SendAsync(probe);
            }
            catch (HttpRequestException ex)
            {
                await log.WriteLineAsync("the probe failed: " + ex.Message);
            }
        }

        if (!File.Exists(path))
        {
            return null;
        }

        string token = (await File.ReadAllTextAsync(path)).Trim();
        await log.WriteLineAsync($"auth token from {path}");
        return token.Length >= 16 ? token : null;
    }
}
