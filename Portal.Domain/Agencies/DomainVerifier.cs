using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Portal.Domain.Agencies;

/// <summary>The records an agency must publish for one custom domain.</summary>
/// <param name="CnameName">Name of the CNAME record (the domain itself).</param>
/// <param name="CnameTarget">What it must point to.</param>
/// <param name="TxtName">Name of the TXT record.</param>
/// <param name="TxtValue">Its value.</param>
public sealed record DomainRecords(string CnameName, string CnameTarget, string TxtName, string TxtValue);

/// <summary>Outcome of one DNS check: verified, or the first thing found wrong (for people).</summary>
/// <param name="Verified">Both records are right.</param>
/// <param name="Error">What is missing or wrong, null when verified.</param>
public sealed record DomainCheck(bool Verified, string? Error);

/// <summary>
/// Looks up a custom domain's CNAME (RFC 1034 §3.6.2) and its verification TXT record (RFC 1035 §3.3.14) with DnsClient,
/// against the configured server (<see cref="AgencyOptions.DnsServer"/>) or the system's resolvers, caching disabled so a
/// fix is seen at once.
/// </summary>
public sealed class DomainVerifier
{
    private readonly AgencyOptions _options;
    private readonly ILookupClient _lookup;

    /// <summary>Builds the DNS client from <paramref name="options"/>.</summary>
    /// <exception cref="FormatException"><see cref="AgencyOptions.DnsServer"/> is not <c>host:port</c> with an IP address.</exception>
    public DomainVerifier(IOptions<AgencyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var lookupOptions = string.IsNullOrWhiteSpace(_options.DnsServer)
            ? new LookupClientOptions()
            : new LookupClientOptions(IPEndPoint.Parse(_options.DnsServer));
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = TimeSpan.FromSeconds(3);
        lookupOptions.Retries = 1;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.UseTcpFallback = true;
        _lookup = new LookupClient(lookupOptions);
    }

    /// <summary>The records to publish for <paramref name="host"/> with <paramref name="token"/>.</summary>
    public DomainRecords RecordsFor(string host, string token) =>
        new(host, _options.CnameTarget, $"{_options.TxtLabel}.{host}", $"portal-verification={token}");

    /// <summary>Checks both records. DNS failures (timeouts, server errors) come back as not verified with the reason.</summary>
    public async Task<DomainCheck> CheckAsync(string host, string token, CancellationToken cancellationToken)
    {
        var records = RecordsFor(host, token);
        try
        {
            var cname = await _lookup.QueryAsync(records.CnameName, QueryType.CNAME, QueryClass.IN, cancellationToken);
            var target = cname.Answers.OfType<CNameRecord>().Select(r => Normalize(r.CanonicalName.Value)).FirstOrDefault();
            if (target is null)
            {
                return new DomainCheck(false, $"No CNAME record found for {records.CnameName}.");
            }

            if (!string.Equals(target, Normalize(records.CnameTarget), StringComparison.Ordinal))
            {
                return new DomainCheck(false, $"{records.CnameName} points to {target}, not {records.CnameTarget}.");
            }

            var txt = await _lookup.QueryAsync(records.TxtName, QueryType.TXT, QueryClass.IN, cancellationToken);
            var values = txt.Answers.OfType<TxtRecord>().Select(r => string.Concat(r.Text)).ToList();
            if (values.Count == 0)
            {
                return new DomainCheck(false, $"No TXT record found for {records.TxtName}.");
            }

            return values.Contains(records.TxtValue, StringComparer.Ordinal)
                ? new DomainCheck(true, null)
                : new DomainCheck(false, $"The TXT record of {records.TxtName} is not {records.TxtValue}.");
        }
        catch (DnsResponseException ex)
        {
            return new DomainCheck(false, $"The DNS server did not answer: {ex.Message}");
        }
    }

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
