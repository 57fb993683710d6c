namespace Portal.Telephony;

/// <summary>
/// Buys, configures and releases the phone numbers tenants answer on, and steers live calls.
/// Exists so the number pool and call transfer code depend on one seam: Twilio in production
/// (<see cref="TwilioTelephonyProvider"/>), an in-memory fake when no Twilio keys are configured
/// (<see cref="SandboxTelephonyProvider"/>). Both throw <see cref="TelephonyException"/> for
/// vendor-side refusals so callers handle one exception type.
/// </summary>
public interface ITelephonyProvider
{
    /// <summary>Short provider name for logs and the admin UI ("twilio", "sandbox").</summary>
    string ProviderName { get; }

    /// <summary>
    /// Searches local numbers that can be bought now.
    /// Twilio: <c>GET /2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/{Country}/Local.json</c>,
    /// https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource .
    /// </summary>
    /// <param name="query">Filters; see <see cref="AvailableNumberQuery"/> for the accepted shapes.</param>
    /// <param name="cancellationToken">Cancels the search, including retry waits.</param>
    /// <returns>At most <see cref="AvailableNumberQuery.Limit"/> voice-capable numbers; empty when nothing matches.</returns>
    /// <exception cref="ArgumentException">A filter has the wrong shape (checked before any network call).</exception>
    /// <exception cref="TelephonyException">The provider refused or failed (auth, rate limit after retries, 5xx after retries, timeout).</exception>
    Task<IReadOnlyList<AvailableNumber>> SearchAvailableAsync(AvailableNumberQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Buys <paramref name="e164"/> and points its voice webhook and status callback at us (both POST).
    /// Twilio: <c>POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json</c>,
    /// https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource#create-an-incomingphonenumber-resource .
    /// Not retried after a 5xx or a timeout (the purchase may have gone through); see
    /// <see cref="TelephonyException.OutcomeUnknown"/>.
    /// </summary>
    /// <param name="e164">The number, E.164 (<c>+14155550123</c>), as returned by <see cref="SearchAvailableAsync"/>.</param>
    /// <param name="voiceUrl">Absolute http(s) URL Twilio POSTs incoming calls to.</param>
    /// <param name="statusCallbackUrl">Absolute http(s) URL Twilio POSTs call status events to.</param>
    /// <param name="cancellationToken">Cancels the purchase.</param>
    /// <returns>The number now owned, with its provider SID (<c>PN</c> + 32 hex).</returns>
    /// <exception cref="ArgumentException"><paramref name="e164"/> is not E.164, or a URL is not absolute http(s).</exception>
    /// <exception cref="TelephonyException">Kind <see cref="TelephonyErrorKind.NumberNotAvailable"/> when someone else got it
    /// (Twilio 21422); other kinds for auth, invalid number (21421), rate limit, server errors.</exception>
    Task<OwnedNumber> PurchaseAsync(string e164, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Re-points an owned number's voice webhook and status callback (both POST).
    /// Twilio: <c>POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json</c>,
    /// https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource#update-an-incomingphonenumber-resource .
    /// </summary>
    /// <param name="providerSid">The number's SID (<c>PN</c> + 32 hex).</param>
    /// <param name="voiceUrl">Absolute http(s) URL for incoming calls.</param>
    /// <param name="statusCallbackUrl">Absolute http(s) URL for status events.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The number as the provider now holds it.</returns>
    /// <exception cref="ArgumentException">Malformed SID or URL.</exception>
    /// <exception cref="TelephonyException">Kind <see cref="TelephonyErrorKind.NotFound"/> when the number is not ours (Twilio 20404); others as above.</exception>
    Task<OwnedNumber> UpdateWebhooksAsync(string providerSid, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Releases (stops paying for) an owned number. Idempotent: a number that is already gone
    /// (Twilio 404 / 20404) counts as released.
    /// Twilio: <c>DELETE /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json</c> → 204,
    /// https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource#delete-an-incomingphonenumber-resource .
    /// </summary>
    /// <param name="providerSid">The number's SID (<c>PN</c> + 32 hex).</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <exception cref="ArgumentException">Malformed SID.</exception>
    /// <exception cref="TelephonyException">Auth, rate limit or server failures after retries.</exception>
    Task ReleaseAsync(string providerSid, CancellationToken cancellationToken);

    /// <summary>
    /// Lists every number the account owns, following <c>next_page_uri</c> until it is null.
    /// Twilio: <c>GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json</c>,
    /// https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource#read-multiple-incomingphonenumber-resources ,
    /// paging: https://www.twilio.com/docs/usage/twilios-response#pagination .
    /// </summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>All owned numbers in the provider's order.</returns>
    /// <exception cref="TelephonyException">Auth, rate limit or server failures after retries, or a paging link outside the account.</exception>
    Task<IReadOnlyList<OwnedNumber>> ListOwnedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Redirects a live call to new instructions (used for transfers).
    /// Twilio: <c>POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c> with <c>Twiml</c> or <c>Url</c>+<c>Method=POST</c>,
    /// https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource .
    /// Not retried after a 5xx or timeout (a second redirect would restart the TwiML).
    /// </summary>
    /// <param name="callSid">The call's SID (<c>CA</c> + 32 hex).</param>
    /// <param name="twimlOrUrl">Either a TwiML document starting with <c>&lt;</c> (at most 4000 characters) or an absolute http(s) URL returning TwiML.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ArgumentException">Malformed SID, TwiML over 4000 characters, or neither TwiML nor a URL.</exception>
    /// <exception cref="TelephonyException">Kind <see cref="TelephonyErrorKind.NotFound"/> when the call is unknown; others as above.</exception>
    Task RedirectCallAsync(string callSid, string twimlOrUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches a call's status and length, to close a call record whose end we never heard of (the process crashed).
    /// Twilio: <c>GET /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c>,
    /// https://www.twilio.com/docs/voice/api/call-resource#fetch-a-call-resource .
    /// </summary>
    /// <param name="callSid">The call's SID (<c>CA</c> + 32 hex).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The call as the provider knows it; null when the provider has no calls API (the sandbox) or does not know the call (404).</returns>
    /// <exception cref="ArgumentException">Malformed SID.</exception>
    /// <exception cref="TelephonyException">Auth, rate limit or server failures after retries.</exception>
    Task<ProviderCall?> GetCallAsync(string callSid, CancellationToken cancellationToken);
}

/// <summary>A call as the provider reports it (Twilio Call resource).</summary>
/// <param name="CallSid">Provider call id (<c>CA…</c>).</param>
/// <param name="Status">Lower-case Twilio call status: queued, ringing, in-progress, completed, busy, failed, no-answer, canceled.</param>
/// <param name="DurationSeconds">Length of the call in seconds once it ended (Twilio <c>duration</c>), else null.</param>
/// <param name="EndTime">When the call ended (UTC), or null while it is live.</param>
public sealed record ProviderCall(string CallSid, string Status, int? DurationSeconds, DateTimeOffset? EndTime);

/// <summary>Filters for <see cref="ITelephonyProvider.SearchAvailableAsync"/>; all optional except the country.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 country, upper case ("US").</param>
/// <param name="AreaCode">North American area code, 200–999 (Twilio <c>AreaCode</c>, US/CA only).</param>
/// <param name="Locality">City name (Twilio <c>InLocality</c>), e.g. "San Francisco".</param>
/// <param name="Region">Two-letter state or province (Twilio <c>InRegion</c>), e.g. "CA".</param>
/// <param name="Contains">Digit pattern, 2–16 characters of 0-9, A-Z (keypad letters) and <c>*</c> (any one digit) (Twilio <c>Contains</c>).</param>
/// <param name="Limit">How many numbers to return, 1–50 (Twilio <c>PageSize</c>).</param>
public sealed record AvailableNumberQuery(
    string Country = "US",
    int? AreaCode = null,
    string? Locality = null,
    string? Region = null,
    string? Contains = null,
    int Limit = 20)
{
    /// <summary>Largest accepted <see cref="Limit"/>.</summary>
    public const int MaxLimit = 50;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first malformed filter.</summary>
    /// <exception cref="ArgumentException">A filter is outside the shapes documented on the record.</exception>
    public void Validate()
    {
        if (Country is null || Country.Length != 2 || !Country.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException("Country must be an upper-case ISO 3166-1 alpha-2 code such as \"US\".", nameof(Country));
        }

        if (AreaCode is { } areaCode && (areaCode < 200 || areaCode > 999))
        {
            throw new ArgumentException("AreaCode must be a North American area code between 200 and 999.", nameof(AreaCode));
        }

        if (Region is not null && (Region.Length != 2 || !Region.All(char.IsAsciiLetter)))
        {
            throw new ArgumentException("Region must be a two-letter state or province code such as \"CA\".", nameof(Region));
        }

        if (Locality is not null && (string.IsNullOrWhiteSpace(Locality) || Locality.Length > 64))
        {
            throw new ArgumentException("Locality must be a city name of 1 to 64 characters.", nameof(Locality));
        }

        if (Contains is not null && (Contains.Length is < 2 or > 16 || !Contains.All(c => char.IsAsciiLetterOrDigit(c) || c == '*')))
        {
            throw new ArgumentException("Contains must be 2 to 16 characters of digits, letters or '*'.", nameof(Contains));
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"Limit must be between 1 and {MaxLimit}.", nameof(Limit));
        }
    }
}

/// <summary>What a number can do.</summary>
/// <param name="Voice">Can take and make calls.</param>
/// <param name="Sms">Can send and receive SMS.</param>
/// <param name="Mms">Can send and receive MMS.</param>
/// <param name="Fax">Can send and receive fax.</param>
public sealed record NumberCapabilities(bool Voice, bool Sms, bool Mms, bool Fax);

/// <summary>A number offered for sale by <see cref="ITelephonyProvider.SearchAvailableAsync"/>.</summary>
/// <param name="PhoneNumber">E.164, e.g. "+18089251571".</param>
/// <param name="FriendlyName">Display form, e.g. "(808) 925-1571".</param>
/// <param name="Locality">City, when the provider knows it.</param>
/// <param name="Region">State or province code, when known.</param>
/// <param name="PostalCode">Postal code, when known.</param>
/// <param name="IsoCountry">ISO 3166-1 alpha-2 country.</param>
/// <param name="Capabilities">Voice/SMS/MMS/fax support.</param>
public sealed record AvailableNumber(
    string PhoneNumber,
    string FriendlyName,
    string? Locality,
    string? Region,
    string? PostalCode,
    string IsoCountry,
    NumberCapabilities Capabilities);

/// <summary>A number the account owns (Twilio IncomingPhoneNumber).</summary>
/// <param name="ProviderSid">Provider id: Twilio <c>PN</c> + 32 hex.</param>
/// <param name="PhoneNumber">E.164.</param>
/// <param name="FriendlyName">Display name.</param>
/// <param name="Capabilities">Voice/SMS/MMS/fax support.</param>
/// <param name="VoiceUrl">Where incoming calls are POSTed; null when unset (Twilio sends <c>null</c> or <c>""</c>).</param>
/// <param name="StatusCallbackUrl">Where status events are POSTed; null when unset.</param>
public sealed record OwnedNumber(
    string ProviderSid,
    string PhoneNumber,
    string FriendlyName,
    NumberCapabilities Capabilities,
    Uri? VoiceUrl,
    Uri? StatusCallbackUrl);
