using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Portal.Web.Telephony;

/// <summary>
/// The auth token that signs Twilio webhooks. With a real Twilio account it is the configured token;
/// in keyless (sandbox) mode a random token is generated once and persisted, so signatures made by
/// test tools and the admin pages (which show it) stay valid across restarts.
/// </summary>
public interface ISandboxCredentials
{
    /// <summary>The token used to validate <c>X-Twilio-Signature</c>.</summary>
    string AuthToken { get; }

    /// <summary>True when <see cref="AuthToken"/> was generated here (no Twilio token configured).</summary>
    bool IsGenerated { get; }
}

/// <summary>
/// Resolves the webhook auth token: <c>Telephony:AuthToken</c>, else <c>Twilio:AuthToken</c>, else a
/// generated 32-hex-digit token stored in <c>twilio-sandbox-auth-token.txt</c> under the Data
/// Protection keys directory (<c>DataProtection:KeysPath</c>), or under the user's local app data
/// when no keys directory is configured.
/// </summary>
public sealed class SandboxCredentials : ISandboxCredentials
{
    /// <summary>File name of the persisted sandbox token.</summary>
    public const string FileName = "twilio-sandbox-auth-token.txt";

    private readonly Lazy<string> _token;

    /// <summary>Creates the resolver; the file is read or written on first use.</summary>
    public SandboxCredentials(IOptions<TelephonyWebhookOptions> options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = options.Value.AuthToken;
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = configuration["Twilio:AuthToken"];
        }

        IsGenerated = string.IsNullOrWhiteSpace(configured);
        var directory = configuration["DataProtection:KeysPath"];
        if (string.IsNullOrWhiteSpace(directory))
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            directory = Path.Combine(string.IsNullOrEmpty(local) ? AppContext.BaseDirectory : local, "Portal");
        }

        _token = IsGenerated
            ? new Lazy<string>(() => LoadOrCreate(Path.Combine(directory, FileName)), LazyThreadSafetyMode.ExecutionAndPublication)
            : new Lazy<string>(configured!);
    }

    /// <inheritdoc />
    public string AuthToken => _token.Value;

    /// <inheritdoc />
    public bool IsGenerated { get; }

    /// <summary>Reads the token at <paramref name="path"/>, or creates it; two processes racing both end with the first one's token.</summary>
    internal static string LoadOrCreate(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllText(path).Trim();
                if (existing.Length >= 16)
                {
                    return existing;
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(token);
                return token;
            }
            catch (IOException) when (attempt < 3)
            {
                // Another process created it first (or is still writing it): read theirs.
                Thread.Sleep(20);
            }
        }
    }
}
