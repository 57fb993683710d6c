using System.Net;
using Portal.Rag.Crawling;

namespace Portal.Rag.Tests.Hardening;

/// <summary>Every notation of a private, loopback, link-local or metadata address is refused; public addresses pass.</summary>
public sealed class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // cloud metadata service
    [InlineData("169.254.0.1")]
    [InlineData("100.64.0.1")] // CGNAT
    [InlineData("100.127.255.254")]
    [InlineData("192.0.0.8")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")] // IPv4-compatible, the form the probe got through
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::127.0.0.1")] // NAT64
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::1")] // local-use NAT64
    [InlineData("2002:7f00:0001::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:0101::1")] // 6to4 of 192.168.1.1
    [InlineData("fe80::1")] // link-local
    [InlineData("fc00::1")] // unique-local
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fec0::1")] // site-local
    [InlineData("ff02::1")] // multicast
    [InlineData("2001:db8::1")] // documentation
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    public void PrivateAddress_InEveryNotation_IsRefused(string address) =>
        Assert.False(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")] // just below CGNAT
    [InlineData("172.32.0.1")] // just above 172.16/12
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:93.184.215.14")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:0808:0808::1")] // 6to4 of 8.8.8.8
    public void PublicAddress_IsAllowed(string address) =>
        Assert.True(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("fd00::1", false)]
    public void AllowLoopback_AllowsOnlyLoopback(string address, bool allowed) =>
        Assert.Equal(allowed, NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: true));
}
