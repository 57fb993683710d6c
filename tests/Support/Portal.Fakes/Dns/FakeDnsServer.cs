using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Fakes.Dns;

/// <summary>
/// A tiny authoritative DNS server on 127.0.0.1 (UDP, a random port) answering A, CNAME and TXT questions from a table
/// the test fills, in the RFC 1035 wire format (https://www.rfc-editor.org/rfc/rfc1035#section-4): header, one question
/// echoed, answers with a compression pointer to the question name. Unknown names get NXDOMAIN; known names without the
/// asked type get an empty NOERROR answer. Queries it received are counted per name.
/// </summary>
public sealed class FakeDnsServer : IAsyncDisposable
{
    /// <summary>Record type A (RFC 1035 §3.2.2).</summary>
    public const ushort TypeA = 1;

    /// <summary>Record type CNAME.</summary>
    public const ushort TypeCname = 5;

    /// <summary>Record type TXT.</summary>
    public const ushort TypeTxt = 16;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(string Name, ushort Type), List<string>> _records = [];
    private readonly Lock _gate = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    public FakeDnsServer() => _loop = Task.Run(ServeAsync);

    /// <summary>Where it listens, <c>127.0.0.1:port</c>.</summary>
    public string EndPoint => ((IPEndPoint)_udp.Client.LocalEndPoint!).ToString();

    /// <summary>Adds an A record.</summary>
    public FakeDnsServer A(string name, string address) => Add(name, TypeA, address);

    /// <summary>Adds a CNAME record.</summary>
    public FakeDnsServer Cname(string name, string target) => Add(name, TypeCname, target);

    /// <summary>Adds a TXT record (one string).</summary>
    public FakeDnsServer Txt(string name, string text) => Add(name, TypeTxt, text);

    /// <summary>Removes every record of <paramref name="name"/>.</summary>
    public void Clear(string name)
    {
        lock (_gate)
        {
            foreach (var key in _records.Keys.Where(k => k.Name == Key(name)).ToList())
            {
                _records.Remove(key);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private FakeDnsServer Add(string name, ushort type, string value)
    {
        lock (_gate)
        {
            var key = (Key(name), type);
            if (!_records.TryGetValue(key, out var list))
            {
                _records[key] = list = [];
            }

            list.Add(value);
        }

        return this;
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveAsync(_stop.Token);
            var reply = Answer(received.Buffer);
            if (reply is not null)
            {
                await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 17)
        {
            return null;
        }

        // Question name: labels until a zero byte.
        var labels = new List<string>();
        var i = 12;
        while (i < query.Length && query[i] != 0)
        {
            int length = query[i];
            labels.Add(Encoding.ASCII.GetString(query, i + 1, length));
            i += length + 1;
        }

        var questionEnd = i + 5;
        if (questionEnd > query.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(i + 1));
        var name = Key(string.Join('.', labels));
        List<string>? values;
        bool known;
        lock (_gate)
        {
            known = _records.Keys.Any(k => k.Name == name);
            values = _records.TryGetValue((name, type), out var list) ? [.. list] : null;
        }

        var reply = new List<byte>(query.AsSpan(0, questionEnd).ToArray());
        // Flags: response, authoritative, recursion desired echoed, recursion available; RCODE 3 (NXDOMAIN) for unknown names.
        var rd = (byte)(query[2] & 0x01);
        reply[2] = (byte)(0x84 | rd);
        reply[3] = (byte)(0x80 | (known ? 0 : 3));
        WriteUInt16(reply, 4, 1);
        WriteUInt16(reply, 6, (ushort)(values?.Count ?? 0));
        WriteUInt16(reply, 8, 0);
        WriteUInt16(reply, 10, 0);
        foreach (var value in values ?? [])
        {
            var data = type switch
            {
                TypeA => IPAddress.Parse(value).GetAddressBytes(),
                TypeCname => EncodeName(value),
                TypeTxt => EncodeText(value),
                _ => [],
            };
            reply.AddRange([0xC0, 0x0C]);
            reply.AddRange([(byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length]);
            reply.AddRange(data);
        }

        return [.. reply];
    }

    private static void WriteUInt16(List<byte> buffer, int offset, ushort value)
    {
        buffer[offset] = (byte)(value >> 8);
        buffer[offset + 1] = (byte)value;
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static byte[] EncodeText(string text)
    {
        // Character-strings of at most 255 bytes each (RFC 1035 §3.3.14).
        var raw = Encoding.UTF8.GetBytes(text);
        var bytes = new List<byte>();
        for (var offset = 0; offset < raw.Length || offset == 0; offset += 255)
        {
            var chunk = raw.AsSpan(offset, Math.Min(255, raw.Length - offset));
            bytes.Add((byte)chunk.Length);
            bytes.AddRange(chunk.ToArray());
            if (raw.Length == 0)
            {
                break;
            }
        }

        return [.. bytes];
    }
}
