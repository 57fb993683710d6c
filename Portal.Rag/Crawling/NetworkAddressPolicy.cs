using System.Net;
using System.Net.Sockets;

namespace Portal.Rag.Crawling;

/// <summary>
/// Which IP addresses the website import may connect to: only globally reachable unicast addresses. Refused, with the
/// registry each range comes from (IANA IPv4 and IPv6 Special-Purpose Address Registries,
/// https://www.iana.org/assignments/iana-ipv4-special-registry and https://www.iana.org/assignments/iana-ipv6-special-registry):
/// IPv4 0.0.0.0/8, 10/8, 100.64/10 (CGNAT, RFC 6598), 127/8, 169.254/16 (link-local, incl. the 169.254.169.254 cloud
/// metadata service), 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24,
/// 203.0.113/24, 224/4 (multicast), 240/4 and the broadcast address; IPv6 ::/128, ::1, ::/96 (IPv4-compatible,
/// RFC 4291 §2.5.5.1, so <c>[::127.0.0.1]</c>), 100::/64, 2001::/23 (incl. Teredo 2001::/32), 2001:db8::/32,
/// fc00::/7 (unique-local), fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8 (multicast), 64:ff9b:1::/48.
/// Addresses that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96 of RFC 6052, 6to4 2002::/16
/// of RFC 3056) are judged by the IPv4 address inside.
/// </summary>
public static class NetworkAddressPolicy
{
    /// <summary>
    /// True when <paramref name="address"/> may be connected to. With <paramref name="allowLoopback"/> (tests crawling a
    /// site on this machine) loopback addresses, 127/8 and ::1 in any notation, are allowed too; every other private
    /// range stays refused.
    /// </summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } inner)
        {
            address = inner;
        }

        if (allowLoopback && IPAddress.IsLoopback(address))
        {
            return true;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsGlobalIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsGlobalIPv6(address.GetAddressBytes()),
            _ => false,
        };
    }

    /// <summary>
    /// The IPv4 address carried inside an IPv6 address: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, not ::
    /// or ::1), NAT64 well-known prefix (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::/48); null for any other address.
    /// </summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var firstTwelveZero = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (firstTwelveZero && (b[12] | b[13]) != 0)
        {
            // ::a.b.c.d, the deprecated IPv4-compatible form (:: and ::1 have zeros in bytes 12..13 and are judged as IPv6).
            return new IPAddress(b.AsSpan(12, 4));
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }

        return null;
    }

    private static bool IsGlobalIPv4(byte[] b) => !(
        b[0] is 0 or 10 or 127 || b[0] >= 224
        || (b[0] == 100 && b[1] is >= 64 and <= 127)
        || (b[0] == 169 && b[1] == 254)
        || (b[0] == 172 && b[1] is >= 16 and <= 31)
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
        || (b[0] == 192 && b[1] == 88 && b[2] == 99)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 198 && b[1] is 18 or 19)
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)
        || (b[0] == 203 && b[1] == 0 && b[2] == 113));

    private static bool IsGlobalIPv6(byte[] b)
    {
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return false; // ::, ::1 and the rest of ::/96
        }

        var first = (b[0] << 8) | b[1];
        var second = (b[2] << 8) | b[3];
        return !(
            (first & 0xfe00) == 0xfc00 // fc00::/7 unique-local
            || (first & 0xffc0) == 0xfe80 // fe80::/10 link-local
            || (first & 0xffc0) == 0xfec0 // fec0::/10 site-local
            || b[0] == 0xff // multicast
            || (first == 0x0100 && second == 0 && b.AsSpan(4, 4).IndexOfAnyExcept((byte)0) < 0) // 100::/64 discard
            || (first == 0x2001 && second < 0x0200) // 2001::/23 IETF protocol assignments (Teredo, ORCHID, ...)
            || (first == 0x2001 && second == 0x0db8) // documentation
            || (first == 0x0064 && second == 0xff9b) // 64:ff9b::/96 with no embedded address, 64:ff9b:1::/48 local NAT64
            || b[0] == 0); // the rest of ::/8 (reserved)
    }
}
