using System.Net;
using System.Net.Sockets;

namespace Portal.Rag.Crawling;

/// <summary>
/// Resolves a host name once and hands out only addresses <see cref="NetworkAddressPolicy"/> allows, and builds the
/// crawler's <see cref="SocketsHttpHandler"/> whose <see cref="SocketsHttpHandler.ConnectCallback"/> connects to exactly
/// the addresses it checked (https://learn.microsoft.com/dotnet/api/system.net.http.socketshttphandler.connectcallback),
/// so a DNS answer that changes between the check and the connection (rebinding) cannot reach a private address. The
/// handler follows no redirects: <see cref="WebsiteCrawler"/> follows them itself and every hop's connection is checked.
/// </summary>
/// <param name="resolve">Name resolution (defaults to <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>); tests give fixed answers.</param>
public sealed class PublicAddressGuard(Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    /// <summary>Request option that allows loopback addresses for this request (tests crawling a site on this machine).</summary>
    public static readonly HttpRequestOptionsKey<bool> AllowLoopbackOption = new("Portal.Crawl.AllowLoopback");

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>
    /// The addresses of <paramref name="host"/> (a name or an IP literal, brackets allowed), all of them allowed.
    /// Throws <see cref="PrivateAddressException"/> when any address is refused (one private answer refuses the host),
    /// <see cref="SocketException"/> when the name does not resolve or has no address.
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, bool allowLoopback, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var bare = host.Trim('[', ']');
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await _resolve(bare, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        foreach (var address in addresses)
        {
            if (!NetworkAddressPolicy.IsAllowed(address, allowLoopback))
            {
                throw new PrivateAddressException(host, address);
            }
        }

        return addresses;
    }

    /// <summary>
    /// A handler for the crawler's <see cref="HttpClient"/>: no proxy, no automatic redirects, and a connect callback that
    /// resolves the host with <see cref="ResolveAsync"/> and connects to the first checked address that answers. A refused
    /// address surfaces as <see cref="HttpRequestException"/> whose inner exception is <see cref="PrivateAddressException"/>.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowLoopback = context.InitialRequestMessage.Options.TryGetValue(AllowLoopbackOption, out var allow) && allow;
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, allowLoopback, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

/// <summary>A host is, or resolves to, an address the website import must not reach (loopback, private, link-local, metadata…).</summary>
/// <param name="host">The host as written in the address.</param>
/// <param name="address">The refused address.</param>
public sealed class PrivateAddressException(string host, IPAddress address)
    : IOException($"{host} resolves to {address}, which is not on the public internet.")
{
    /// <summary>The host as written in the address.</summary>
    public string Host { get; } = host;

    /// <summary>The refused address.</summary>
    public IPAddress Address { get; } = address;
}
