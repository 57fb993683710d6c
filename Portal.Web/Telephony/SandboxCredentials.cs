using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Portal.Web.Telephony;

/// <summary>
/// The auth token that signs Twilio webhooks. With a real Twilio account it is the configured token;
/// in keyless (sandbox) mode a random token is generated once and persisted (readable by the app's user only), so
/// signatures made by the call simulator stay valid across restarts; the admin health page shows it to platform admins.
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

        FilePath = Path.Combine(directory, FileName);
        _token = IsGenerated
            ? new Lazy<string>(() => LoadOrCreate(FilePath), LazyThreadSafetyMode.ExecutionAndPublication)
            : new Lazy<string>(configured!);
    }

    /// <inheritdoc />
    public string AuthToken => _token.Value;

    /// <inheritdoc />
    public bool IsGenerated { get; }

    /// <summary>Path of the persisted sandbox token (whether or not it is in use).</summary>
    public string FilePath { get; }

    /// <summary>Permissions of the token file on Unix: read and write for the app's user only (0600).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Reads the token at <paramref name="path"/>, or creates it readable by the app's user only (0600); a file left with
    /// wider permissions by an older version is narrowed. Two processes racing both end with the first one's token.
    /// </summary>
    internal static string LoadOrCreate(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                RestrictToOwner(path);
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
                using var stream = new FileStream(path, OperatingSystem.IsWindows()
                    ? new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }
                    : new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = OwnerOnly });
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

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
