using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Portal.Voice.Twilio;

/// <summary>
/// Computes and validates Twilio's <c>X-Twilio-Signature</c> header, so webhook and Media Streams
/// endpoints can reject requests that did not come from Twilio.
/// </summary>
/// <remarks>
/// <para>
/// Algorithm (https://www.twilio.com/docs/usage/security#validating-requests; twilio-csharp
/// <c>src/Twilio/Security/RequestValidator.cs</c>; twilio-python <c>twilio/request_validator.py</c>):
/// <c>Base64(HMAC-SHA1(key: UTF-8(authToken), message: UTF-8(url + k1 + v1 + k2 + v2 …)))</c> where the
/// form parameters are sorted by key with ordinal comparison. Duplicate keys follow twilio-python and
/// twilio-node: the values of a key are sorted ordinally, duplicates dropped, and <c>key + value</c>
/// appended once per value (the twilio-csharp <c>NameValueCollection</c> overload signs comma-joined
/// values instead; voice webhooks never send duplicate keys). A null value counts as "".
/// </para>
/// <para>
/// Validation accepts the URL exactly as given, or its port variant (twilio-csharp <c>GetUriVariation</c>):
/// an explicit port is removed; a missing port gets the scheme default added (443 for https/wss, 80 for
/// http/ws). Scheme, userinfo and host keep their letter case. Comparison is constant-time.
/// See docs protocols.md §1.
/// </para>
/// </remarks>
public static class TwilioSignature
{
    /// <summary>The HTTP header carrying the signature.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The query parameter Twilio adds to JSON webhook URLs: lowercase hex SHA-256 of the raw body.</summary>
    public const string BodySha256Parameter = "bodySHA256";

    private const int Sha1Base64Length = 28; // Base64 of 20 bytes.

    /// <summary>Computes the signature of a form-encoded webhook (or, with no parameters, of the URL alone).</summary>
    /// <param name="authToken">The account's auth token (HMAC key, UTF-8).</param>
    /// <param name="url">Full URL Twilio requested, including scheme, userinfo, host, port, path and query, exactly as Twilio sent it.</param>
    /// <param name="parameters">POST form parameters (not the query string); null or empty for GET, JSON and WebSocket requests. Keys may repeat.</param>
    /// <returns>Base64 HMAC-SHA1, 28 characters.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string?>>? parameters = null)
    {
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        ComputeMac(authToken, url, SortParameters(parameters), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Computes the signature of a form-encoded webhook from ASP.NET form values (e.g. <c>IFormCollection</c>).</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">Full URL Twilio requested.</param>
    /// <param name="form">POST form fields; every value of a repeated key is signed.</param>
    /// <returns>Base64 HMAC-SHA1, 28 characters.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> form)
        => Compute(authToken, url, Flatten(form));

    /// <summary>
    /// Validates the signature of a form-encoded webhook (voice webhook, status callback) or, with no
    /// parameters, a GET webhook. Tries the URL as given and its port variant.
    /// </summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">Full URL Twilio requested (behind a proxy: rebuilt from the public scheme/host).</param>
    /// <param name="parameters">POST form parameters; null or empty when there are none.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value; null or empty is invalid.</param>
    /// <returns>True when the signature matches either URL variant.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string?>>? parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != Sha1Base64Length)
        {
            ArgumentException.ThrowIfNullOrEmpty(authToken);
            ArgumentException.ThrowIfNullOrEmpty(url);
            return false;
        }

        List<KeyValuePair<string, string>> sorted = SortParameters(parameters);
        if (Matches(authToken, url, sorted, signature))
        {
            return true;
        }

        string? variant = GetPortVariant(url);
        return variant is not null && Matches(authToken, variant, sorted, signature);
    }

    /// <summary>Validates a request signed over the URL alone (GET webhook, no form parameters). Tries the URL as given and its port variant.</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">Full URL Twilio requested, query string included.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value; null or empty is invalid.</param>
    /// <returns>True when the signature matches either URL variant.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static bool IsValid(string authToken, string url, string? signature)
        => IsValid(authToken, url, (IEnumerable<KeyValuePair<string, string?>>?)null, signature);

    /// <summary>Validates a form-encoded webhook from ASP.NET form values (e.g. <c>IFormCollection</c>).</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">Full URL Twilio requested.</param>
    /// <param name="form">POST form fields.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value.</param>
    /// <returns>True when the signature matches either URL variant.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> form, string? signature)
        => IsValid(authToken, url, Flatten(form), signature);

    /// <summary>
    /// Validates an <c>application/json</c> webhook: the URL (which must carry <c>bodySHA256</c>) is
    /// signed with no parameters, and <c>bodySHA256</c> must equal the lowercase hex SHA-256 of the raw
    /// body. Without <c>bodySHA256</c> validation fails (twilio-csharp <c>Validate(url, body, expected)</c>, protocols.md §1.3).
    /// </summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">Full URL Twilio requested, including its <c>bodySHA256</c> query parameter.</param>
    /// <param name="body">Raw request body bytes, exactly as received.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value.</param>
    /// <returns>True when both the URL signature and the body hash match.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="url"/> is null or empty.</exception>
    public static bool IsValidJson(string authToken, string url, ReadOnlySpan<byte> body, string? signature)
    {
        bool signatureOk = IsValid(authToken, url, signature);
        string? expectedHash = GetQueryParameter(url, BodySha256Parameter);
        if (expectedHash is null)
        {
            return false;
        }

        string actualHash = ComputeBodySha256(body);
        bool hashOk = CryptographicOperations.FixedTimeEquals(
            Utf16Bytes(actualHash), Utf16Bytes(expectedHash));
        return signatureOk & hashOk;
    }

    /// <summary>The <c>bodySHA256</c> value for a raw body: lowercase hex SHA-256, 64 characters.</summary>
    /// <param name="body">Raw body bytes.</param>
    /// <returns>Lowercase hex digest.</returns>
    public static string ComputeBodySha256(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Validates the signature on a Media Streams / ConversationRelay WebSocket upgrade. Twilio signs the
    /// <c>wss://</c> URL it dialled with no parameters, so the URL is rebuilt as <c>wss://{host}{path}</c>
    /// whatever scheme ASP.NET saw behind the proxy (protocols.md §1.4; twilio-agent-connect-python
    /// <c>signature_validation.py</c>; twilio-labs/twilio-aspnet issue #162). Unverified against live Twilio for URLs with a query string.
    /// </summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="host">Public host (and port, if any) from the Host header, e.g. <c>portal.example.com</c>.</param>
    /// <param name="pathAndQuery">Request path starting with '/', plus the query string if any (the <c>&lt;Stream url&gt;</c> should carry none).</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header of the upgrade request.</param>
    /// <returns>True when the signature matches the wss URL or its port variant.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> or <paramref name="host"/> is null or empty, or <paramref name="pathAndQuery"/> does not start with '/'.</exception>
    public static bool IsValidWebSocket(string authToken, string host, string pathAndQuery, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (!pathAndQuery.StartsWith('/'))
        {
            throw new ArgumentException("The path must start with '/'.", nameof(pathAndQuery));
        }

        return IsValid(authToken, "wss://" + host + pathAndQuery, signature);
    }

    /// <summary>
    /// The port variant of <paramref name="url"/> that Twilio may also have signed: with the explicit port
    /// removed, or with the scheme's default port (https/wss 443, http/ws 80) added when there is none.
    /// Case and userinfo are preserved.
    /// </summary>
    /// <param name="url">An absolute URL.</param>
    /// <returns>The variant, or null when the URL is not absolute or its scheme has no known default port.</returns>
    public static string? GetPortVariant(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        int authorityStart = schemeEnd + 3;
        int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        int hostStart = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) + 1;
        if (hostStart == 0)
        {
            hostStart = authorityStart;
        }

        ReadOnlySpan<char> hostPort = url.AsSpan(hostStart, authorityEnd - hostStart);
        int bracket = hostPort.LastIndexOf(']'); // IPv6 literal: a port colon comes after ']'.
        int colon = hostPort.LastIndexOf(':');
        if (colon > bracket)
        {
            return string.Concat(url.AsSpan(0, hostStart + colon), url.AsSpan(authorityEnd));
        }

        string? port = url.AsSpan(0, schemeEnd) switch
        {
            var s when s.Equals("https", StringComparison.OrdinalIgnoreCase) || s.Equals("wss", StringComparison.OrdinalIgnoreCase) => ":443",
            var s when s.Equals("http", StringComparison.OrdinalIgnoreCase) || s.Equals("ws", StringComparison.OrdinalIgnoreCase) => ":80",
            _ => null,
        };
        return port is null ? null : string.Concat(url.AsSpan(0, authorityEnd), port, url.AsSpan(authorityEnd));
    }

    private static bool Matches(string authToken, string url, List<KeyValuePair<string, string>> sorted, string signature)
    {
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        ComputeMac(authToken, url, sorted, mac);
        Span<char> expected = stackalloc char[Sha1Base64Length];
        Convert.TryToBase64Chars(mac, expected, out _);
        return CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()));
    }

    private static void ComputeMac(string authToken, string url, List<KeyValuePair<string, string>> sorted, Span<byte> destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentException.ThrowIfNullOrEmpty(url);
        byte[] key = Encoding.UTF8.GetBytes(authToken);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        CryptographicOperations.ZeroMemory(key);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            Append(hmac, url, ref buffer);
            foreach (KeyValuePair<string, string> pair in sorted)
            {
                Append(hmac, pair.Key, ref buffer);
                Append(hmac, pair.Value, ref buffer);
            }

            hmac.GetHashAndReset(destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Append(IncrementalHash hmac, string text, ref byte[] buffer)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(max);
        }

        int written = Encoding.UTF8.GetBytes(text, buffer);
        hmac.AppendData(buffer, 0, written);
    }

    private static List<KeyValuePair<string, string>> SortParameters(IEnumerable<KeyValuePair<string, string?>>? parameters)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (parameters is null)
        {
            return list;
        }

        foreach (KeyValuePair<string, string?> pair in parameters)
        {
            ArgumentNullException.ThrowIfNull(pair.Key, nameof(parameters));
            list.Add(new(pair.Key, pair.Value ?? string.Empty));
        }

        list.Sort(static (a, b) =>
        {
            int byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });

        // Drop repeated identical key/value pairs (python: sorted(set(values))).
        int write = 0;
        for (int read = 0; read < list.Count; read++)
        {
            if (write > 0 && list[write - 1].Key == list[read].Key && list[write - 1].Value == list[read].Value)
            {
                continue;
            }

            list[write++] = list[read];
        }

        list.RemoveRange(write, list.Count - write);
        return list;
    }

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        foreach (KeyValuePair<string, StringValues> pair in form)
        {
            if (pair.Value.Count == 0)
            {
                yield return new(pair.Key, string.Empty);
                continue;
            }

            foreach (string? value in pair.Value)
            {
                yield return new(pair.Key, value);
            }
        }
    }

    private static string? GetQueryParameter(string url, string name)
    {
        int query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        int fragment = url.IndexOf('#', query);
        ReadOnlySpan<char> rest = url.AsSpan(query + 1, (fragment < 0 ? url.Length : fragment) - query - 1);
        foreach (Range range in rest.Split('&'))
        {
            ReadOnlySpan<char> pair = rest[range];
            if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
            {
                return pair[(name.Length + 1)..].ToString();
            }
        }

        return null;
    }

    private static ReadOnlySpan<byte> Utf16Bytes(string text)
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan());
}
