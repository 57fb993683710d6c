using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace Portal.Telephony;

/// <summary>
/// Keyless <see cref="ITelephonyProvider"/> used when no Twilio credentials are configured, so the
/// number pool, onboarding and transfers can be developed and demoed offline. It sells fictional
/// numbers from the range reserved for fiction, NXX-555-0100..0199
/// (https://nationalnanpa.com/pdf/NRUF/ATIS-0300115.pdf), in seven US area codes; "purchases" live in
/// memory (process lifetime, thread-safe) and get Twilio-shaped SIDs (<c>PN</c> + 32 hex).
/// Register as a singleton. Refusals throw <see cref="TelephonyException"/> with the same
/// <see cref="TelephonyErrorKind"/> Twilio would produce.
/// </summary>
public sealed class SandboxTelephonyProvider : ITelephonyProvider
{
    private static readonly (int AreaCode, string Locality, string Region, string PostalCode)[] Markets =
    [
        (212, "New York", "NY", "10001"),
        (415, "San Francisco", "CA", "94103"),
        (312, "Chicago", "IL", "60601"),
        (512, "Austin", "TX", "78701"),
        (305, "Miami", "FL", "33101"),
        (617, "Boston", "MA", "02108"),
        (206, "Seattle", "WA", "98101"),
    ];

    private static readonly NumberCapabilities SandboxCapabilities = new(Voice: true, Sms: true, Mms: true, Fax: false);

    /// <summary>Every number the sandbox sells, in a fixed order (area codes as listed above, then line 0100..0199).</summary>
    private static readonly AvailableNumber[] Inventory = Markets
        .SelectMany(m => Enumerable.Range(100, 100).Select(line => new AvailableNumber(
            string.Create(CultureInfo.InvariantCulture, $"+1{m.AreaCode}555{line:0000}"),
            string.Create(CultureInfo.InvariantCulture, $"({m.AreaCode}) 555-{line:0000}"),
            m.Locality,
            m.Region,
            m.PostalCode,
            "US",
            SandboxCapabilities)))
        .ToArray();

    private static readonly Dictionary<string, AvailableNumber> InventoryByNumber = Inventory.ToDictionary(n => n.PhoneNumber, StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, OwnedNumber> _ownedBySid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sidByNumber = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxCallRedirect> _redirects = new();

    /// <inheritdoc />
    public string ProviderName => "sandbox";

    /// <summary>Redirects received by <see cref="RedirectCallAsync"/>, oldest first (there are no real calls to redirect).</summary>
    public IReadOnlyCollection<SandboxCallRedirect> Redirects => _redirects.ToArray();

    /// <inheritdoc />
    /// <remarks>
    /// Only <c>US</c> has inventory (any other country returns empty). Locality and region match
    /// case-insensitively; <c>Contains</c> follows Twilio: letters map to keypad digits and <c>*</c>
    /// matches any one digit, anywhere in the national number. Numbers already bought are excluded.
    /// </remarks>
    public Task<IReadOnlyList<AvailableNumber>> SearchAvailableAsync(AvailableNumberQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (query.Country != "US")
        {
            return Task.FromResult<IReadOnlyList<AvailableNumber>>([]);
        }

        var pattern = query.Contains is null ? null : ToDigitPattern(query.Contains);
        var areaPrefix = query.AreaCode is { } areaCode ? string.Create(CultureInfo.InvariantCulture, $"+1{areaCode}") : null;
        lock (_gate)
        {
            IReadOnlyList<AvailableNumber> matches = Inventory
                .Where(n => areaPrefix is null || n.PhoneNumber.StartsWith(areaPrefix, StringComparison.Ordinal))
                .Where(n => query.Locality is null || string.Equals(n.Locality, query.Locality.Trim(), StringComparison.OrdinalIgnoreCase))
                .Where(n => query.Region is null || string.Equals(n.Region, query.Region, StringComparison.OrdinalIgnoreCase))
                .Where(n => pattern is null || MatchesAnywhere(n.PhoneNumber.AsSpan(2), pattern))
                .Where(n => !_sidByNumber.ContainsKey(n.PhoneNumber))
                .Take(query.Limit)
                .ToList();
            return Task.FromResult(matches);
        }
    }

    /// <inheritdoc />
    /// <remarks>Exactly one of any number of concurrent purchases of the same number wins; the others get <see cref="TelephonyErrorKind.NumberNotAvailable"/>.</remarks>
    public Task<OwnedNumber> PurchaseAsync(string e164, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireE164(e164);
        TelephonyValidation.RequireWebhookUrl(voiceUrl);
        TelephonyValidation.RequireWebhookUrl(statusCallbackUrl);
        cancellationToken.ThrowIfCancellationRequested();
        if (!InventoryByNumber.TryGetValue(e164, out var available))
        {
            throw new TelephonyException(
                TelephonyErrorKind.NumberNotAvailable,
                $"Sandbox could not buy {e164}: it only sells the fictional numbers +1<area>5550100..0199 in area codes {string.Join(", ", Markets.Select(m => m.AreaCode))}.");
        }

        lock (_gate)
        {
            if (_sidByNumber.TryGetValue(e164, out var existingSid))
            {
                throw new TelephonyException(
                    TelephonyErrorKind.NumberNotAvailable,
                    $"Sandbox could not buy {e164}: it is already owned (SID {existingSid}); search again and pick another.");
            }

            var owned = new OwnedNumber(NewSid("PN"), e164, available.FriendlyName, available.Capabilities, voiceUrl, statusCallbackUrl);
            _ownedBySid.Add(owned.ProviderSid, owned);
            _sidByNumber.Add(e164, owned.ProviderSid);
            return Task.FromResult(owned);
        }
    }

    /// <inheritdoc />
    public Task<OwnedNumber> UpdateWebhooksAsync(string providerSid, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        TelephonyValidation.RequireWebhookUrl(voiceUrl);
        TelephonyValidation.RequireWebhookUrl(statusCallbackUrl);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ownedBySid.TryGetValue(providerSid, out var owned))
            {
                throw new TelephonyException(TelephonyErrorKind.NotFound, $"Sandbox could not update {providerSid}: no such number is owned.");
            }

            var updated = owned with { VoiceUrl = voiceUrl, StatusCallbackUrl = statusCallbackUrl };
            _ownedBySid[providerSid] = updated;
            return Task.FromResult(updated);
        }
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string providerSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_ownedBySid.Remove(providerSid, out var owned))
            {
                _sidByNumber.Remove(owned.PhoneNumber);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Ordered by phone number.</remarks>
    public Task<IReadOnlyList<OwnedNumber>> ListOwnedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<OwnedNumber> owned = _ownedBySid.Values.OrderBy(n => n.PhoneNumber, StringComparer.Ordinal).ToList();
            return Task.FromResult(owned);
        }
    }

    /// <inheritdoc />
    /// <remarks>Validates like Twilio and records the redirect in <see cref="Redirects"/>; there is no call to act on.</remarks>
    public Task RedirectCallAsync(string callSid, string twimlOrUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        var (twiml, url) = TelephonyValidation.RedirectTarget(twimlOrUrl, 4000);
        cancellationToken.ThrowIfCancellationRequested();
        _redirects.Enqueue(new SandboxCallRedirect(callSid, twiml, url));
        return Task.CompletedTask;
    }

    /// <summary>A Twilio-shaped SID: the two-letter prefix and 32 lower-case hex digits from a CSPRNG.</summary>
    internal static string NewSid(string prefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Twilio <c>Contains</c>: digits stay, letters become keypad digits, '*' stays as the one-digit wildcard.</summary>
    private static string ToDigitPattern(string contains) => string.Concat(contains.Select(c => char.ToUpperInvariant(c) switch
    {
        >= 'A' and <= 'C' => '2',
        >= 'D' and <= 'F' => '3',
        >= 'G' and <= 'I' => '4',
        >= 'J' and <= 'L' => '5',
        >= 'M' and <= 'O' => '6',
        >= 'P' and <= 'S' => '7',
        >= 'T' and <= 'V' => '8',
        >= 'W' and <= 'Z' => '9',
        var other => other,
    }));

    /// <inheritdoc />
    /// <returns>Always null: the sandbox has no calls to ask about (its calls are the simulator's, reported only by webhooks).</returns>
    public Task<ProviderCall?> GetCallAsync(string callSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        return Task.FromResult<ProviderCall?>(null);
    }

    private static bool MatchesAnywhere(ReadOnlySpan<char> digits, string pattern)
    {
        for (var start = 0; start + pattern.Length <= digits.Length; start++)
        {
            var match = true;
            for (var i = 0; i < pattern.Length && match; i++)
            {
                match = pattern[i] == '*' || pattern[i] == digits[start + i];
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A redirect the sandbox received (for dev tools and tests).</summary>
/// <param name="CallSid">The call SID (<c>CA</c> + 32 hex).</param>
/// <param name="Twiml">Inline TwiML, when that form was used.</param>
/// <param name="Url">TwiML URL, when that form was used.</param>
public sealed record SandboxCallRedirect(string CallSid, string? Twiml, Uri? Url);
