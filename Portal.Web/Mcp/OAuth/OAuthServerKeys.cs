using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Web.Mcp.OAuth;

/// <summary>
/// The authorization server's keys, the same on every instance: an ECDSA P-256 signing key (ES256, published in the JWKS)
/// and a 256-bit AES key-wrap encryption key (A256KW), each made once by the first instance and stored as a
/// <see cref="PlatformSecret"/> protected by Data Protection (whose key ring every instance shares, ADR-024). No
/// development certificate is used in any environment.
/// </summary>
public sealed class OAuthServerKeys(IServiceScopeFactory scopes)
{
    /// <summary>Name of the signing key's row.</summary>
    public const string SigningName = "oauth-signing-key";

    /// <summary>Name of the encryption key's row.</summary>
    public const string EncryptionName = "oauth-encryption-key";

    /// <summary>Data Protection purpose of both rows.</summary>
    public const string Purpose = "Portal.OAuth.ServerKeys.v1";

    private readonly Lazy<(SigningCredentials Signing, EncryptingCredentials Encrypting)> _keys = new(() => Load(scopes), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The signing credentials (ES256).</summary>
    public SigningCredentials Signing => _keys.Value.Signing;

    /// <summary>The encryption credentials (A256KW + A256CBC-HS512).</summary>
    public EncryptingCredentials Encrypting => _keys.Value.Encrypting;

    private static (SigningCredentials, EncryptingCredentials) Load(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();

        var signingBytes = Shared(db, protector, SigningName, now, () =>
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return ec.ExportPkcs8PrivateKey();
        });
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(signingBytes, out _);
        var signingKey = new ECDsaSecurityKey(ecdsa) { KeyId = KeyId(ecdsa.ExportSubjectPublicKeyInfo()) };

        var encryptionBytes = Shared(db, protector, EncryptionName, now, () => RandomNumberGenerator.GetBytes(32));
        var encryptionKey = new SymmetricSecurityKey(encryptionBytes) { KeyId = KeyId(SHA256.HashData(encryptionBytes)) };
        return (new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
            new EncryptingCredentials(encryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    /// <summary>The row's key, or a new one stored for every instance; when two instances start together the first insert wins.</summary>
    private static byte[] Shared(PortalDbContext db, IDataProtector protector, string name, DateTimeOffset now, Func<byte[]> create)
    {
        var row = db.PlatformSecrets.AsNoTracking().FirstOrDefault(s => s.Name == name);
        if (row is null)
        {
            var candidate = protector.Protect(Convert.ToBase64String(create()));
            db.Database.ExecuteSql($"INSERT INTO platform_secrets (name, protected_value, created_at) VALUES ({name}, {candidate}, {now}) ON CONFLICT (name) DO NOTHING");
            row = db.PlatformSecrets.AsNoTracking().First(s => s.Name == name);
        }

        return Convert.FromBase64String(protector.Unprotect(row.ProtectedValue));
    }

    private static string KeyId(byte[] material) => Convert.ToHexString(SHA256.HashData(material))[..16].ToLowerInvariant();
}

/// <summary>Adds <see cref="OAuthServerKeys"/> to the OpenIddict server options (read from the database when the options are first used).</summary>
public sealed class OAuthServerKeyOptions(OAuthServerKeys keys) : IConfigureOptions<OpenIddictServerOptions>
{
    /// <inheritdoc />
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SigningCredentials.Add(keys.Signing);
        options.EncryptionCredentials.Add(keys.Encrypting);
    }
}
