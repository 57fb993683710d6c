using Microsoft.Extensions.Options;
using Portal.Domain.Agencies;
using Portal.Fakes.Dns;

namespace Portal.IntegrationTests.Agencies;

/// <summary>DomainVerifier with the real DnsClient against the local DNS server on 127.0.0.1.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the DNS server through IAsyncLifetime.DisposeAsync.")]
public sealed class DomainVerificationTests : IAsyncLifetime
{
    private const string Target = "domains.portal.test";
    private readonly FakeDnsServer _dns = new();
    private DomainVerifier _verifier = default!;

    public Task InitializeAsync()
    {
        _verifier = new DomainVerifier(Options.Create(new AgencyOptions { CnameTarget = Target, DnsServer = _dns.EndPoint }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Check_WithCnameAndTxt_IsVerified()
    {
        var records = _verifier.RecordsFor("app.good-agency.test", "tok123");
        _dns.Cname(records.CnameName, Target + ".").Txt(records.TxtName, records.TxtValue).Txt(records.TxtName, "v=spf1 -all");

        var check = await _verifier.CheckAsync("app.good-agency.test", "tok123", CancellationToken.None);

        Assert.True(check.Verified, check.Error);
        Assert.Null(check.Error);
        Assert.Equal("_portal-verification.app.good-agency.test", records.TxtName);
        Assert.Equal("portal-verification=tok123", records.TxtValue);
    }

    [Fact]
    public async Task Check_WithWrongTxt_IsNotVerified()
    {
        var records = _verifier.RecordsFor("app.wrong-txt.test", "right");
        _dns.Cname(records.CnameName, Target).Txt(records.TxtName, "portal-verification=wrong");

        var check = await _verifier.CheckAsync("app.wrong-txt.test", "right", CancellationToken.None);

        Assert.False(check.Verified);
        Assert.Contains("TXT record", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutCname_IsNotVerified()
    {
        var records = _verifier.RecordsFor("app.no-cname.test", "tok");
        _dns.A(records.CnameName, "203.0.113.7").Txt(records.TxtName, records.TxtValue);

        var check = await _verifier.CheckAsync("app.no-cname.test", "tok", CancellationToken.None);

        Assert.False(check.Verified);
        Assert.Contains("No CNAME record", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithCnameToAnotherHost_IsNotVerified()
    {
        var records = _verifier.RecordsFor("app.elsewhere.test", "tok");
        _dns.Cname(records.CnameName, "other.example.test").Txt(records.TxtName, records.TxtValue);

        var check = await _verifier.CheckAsync("app.elsewhere.test", "tok", CancellationToken.None);

        Assert.False(check.Verified);
        Assert.Contains("other.example.test", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutTxt_IsNotVerified()
    {
        var records = _verifier.RecordsFor("app.no-txt.test", "tok");
        _dns.Cname(records.CnameName, Target);

        var check = await _verifier.CheckAsync("app.no-txt.test", "tok", CancellationToken.None);

        Assert.False(check.Verified);
        Assert.Contains("No TXT record", check.Error, StringComparison.Ordinal);
    }
}
