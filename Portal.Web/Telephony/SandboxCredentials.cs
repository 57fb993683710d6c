using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;

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
/// Resolves the webhook auth token: <c>Telephony:AuthToken</c>, else <c>Twilio:AuthToken</c>, else a generated
/// 32-hex-digit token shared by every instance over the database (a <see cref="PlatformSecret"/> named
/// <see cref="SecretName"/>, Data Protection ciphertext) and copied to <c>twilio-sandbox-auth-token.txt</c> (mode 0600)
/// under the Data Protection keys directory (<c>DataProtection:KeysPath</c>), or under the user's local app data when no
/// keys directory is configured, for the call simulator. The first instance to start stores its token (an existing file's,
/// else a new one); every other instance adopts it.
/// </summary>
public sealed class SandboxCredentials : ISandboxCredentials
{
    /// <summary>File name of the persisted sandbox token.</summary>
    public const string FileName = "twilio-sandbox-auth-token.txt";

    /// <summary>Name of the shared token's <see cref="PlatformSecret"/> row.</summary>
    public const string SecretName = "twilio-sandbox-auth-token";

    /// <summary>Data Protection purpose of the shared token.</summary>
    public const string Purpose = "Portal.Telephony.SandboxAuthToken.v1";

    private readonly Lazy<string> _token;
    private readonly IServiceScopeFactory? _scopes;
    private readonly ILogger? _logger;

    /// <summary>Creates the resolver; the token is read or written on first use.</summary>
    /// <param name="options">Webhook options (<c>Telephony:AuthToken</c>).</param>
    /// <param name="configuration">Configuration (<c>Twilio:AuthToken</c>, <c>DataProtection:KeysPath</c>).</param>
    /// <param name="scopes">Scopes for the shared token's row; without them the token is the local file's only.</param>
    /// <param name="logger">Logs a shared token that could not be read.</param>
    public SandboxCredentials(IOptions<TelephonyWebhookOptions> options, IConfiguration configuration, IServiceScopeFactory? scopes = null, ILogger<SandboxCredentials>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        _scopes = scopes;
        _logger = logger;
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
            ? new Lazy<string>(LoadShared, LazyThreadSafetyMode.ExecutionAndPublication)
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
    /// The token every instance shares: the stored row's, else this instance's file token (kept, or created), stored for the
    /// others; a row another instance stored first wins. The file is (re)written with the shared token. When the database or
    /// the key ring cannot be read, the file's token is used and the fault logged (webhooks signed for another instance's
    /// token then fail here with 403, which says what to fix).
    /// </summary>
    private string LoadShared()
    {
        if (_scopes is null)
        {
            return LoadOrCreate(FilePath);
        }

        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            var row = db.PlatformSecrets.AsNoTracking().FirstOrDefault(s => s.Name == SecretName);
            if (row is null)
            {
                var candidate = LoadOrCreate(FilePath);
                var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
                // Two instances starting together: the first insert wins, the other reads it back.
                db.Database.ExecuteSql($"INSERT INTO platform_secrets (name, protected_value, created_at) VALUES ({SecretName}, {protector.Protect(candidate)}, {now}) ON CONFLICT (name) DO NOTHING");
                row = db.PlatformSecrets.AsNoTracking().First(s => s.Name == SecretName);
            }

            var token = protector.Unprotect(row.ProtectedValue);
            WriteFile(FilePath, token);
            return token;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            _logger?.LogError(ex, "The shared sandbox auth token could not be read; using this instance's file {Path}", FilePath);
            return LoadOrCreate(FilePath);
        }
    }

    /// <summary>Writes <paramref name="token"/> to <paramref name="path"/> readable by the app's user only (0600), unless it already holds it.</summary>
    internal static void WriteFile(string path, string token)
    {
        if (File.Exists(path))
        {
            RestrictToOwner(path);
            if (File.ReadAllText(path).Trim() == token)
            {
                return;
            }

            File.Delete(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, OperatingSystem.IsWindows()
            ? new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None }
            : new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = OwnerOnly });
        using var writer = new StreamWriter(stream);
        writer.Write(token);
    }

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
