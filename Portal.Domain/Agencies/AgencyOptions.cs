using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Agencies;

/// <summary>
/// Settings of white-label agencies (section <c>Agencies</c>). All optional: without a DNS server the machine's resolvers
/// are used.
/// </summary>
public sealed class AgencyOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Agencies";

    /// <summary>The host every custom domain must CNAME to (the reverse proxy's name), e.g. <c>domains.portal.example</c>.</summary>
    [Required]
    public string CnameTarget { get; set; } = "domains.portal.example";

    /// <summary>DNS server to ask, <c>host:port</c> (e.g. <c>127.0.0.1:5353</c>); empty: the system's resolvers.</summary>
    public string? DnsServer { get; set; }

    /// <summary>Label prepended to a custom domain for its TXT record.</summary>
    public string TxtLabel { get; set; } = "_portal-verification";

    /// <summary>Seconds a TLS "ask" answer is cached in memory.</summary>
    [Range(1, 3600)]
    public int AskCacheSeconds { get; set; } = 60;

    /// <summary>Seconds a resolved brand is cached in memory.</summary>
    [Range(0, 3600)]
    public int BrandCacheSeconds { get; set; } = 30;
}
