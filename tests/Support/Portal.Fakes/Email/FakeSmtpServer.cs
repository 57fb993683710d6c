using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Fakes.Email;

/// <summary>One message the fake SMTP server accepted.</summary>
/// <param name="From">The MAIL FROM reverse-path.</param>
/// <param name="Recipients">The RCPT TO forward-paths.</param>
/// <param name="Data">The DATA content (RFC 5322 message, dot-unstuffed, without the final ".").</param>
/// <param name="AuthenticatedAs">The AUTH PLAIN user name, or null when the client did not authenticate.</param>
public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, string Data, string? AuthenticatedAs);

/// <summary>
/// A tiny SMTP server on 127.0.0.1 (RFC 5321: greeting, EHLO/HELO, AUTH PLAIN (RFC 4954), MAIL FROM, RCPT TO, DATA with
/// dot-stuffing, RSET, NOOP, QUIT) that keeps every accepted message, so the real MailKit client runs against it. It
/// offers no STARTTLS, and accepts only <see cref="UserName"/>/<see cref="Password"/> when they are set.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private Task? _loop;

    /// <summary>The port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The only user name AUTH accepts; null accepts mail without AUTH.</summary>
    public string? UserName { get; init; }

    /// <summary>The password for <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Messages received so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>Starts listening.</summary>
    public FakeSmtpServer Start()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
        return this;
    }

    /// <summary>Waits until a message to <paramref name="recipient"/> (and, when given, one that <paramref name="match"/> accepts) has arrived.</summary>
    /// <exception cref="TimeoutException">None within <paramref name="timeout"/>.</exception>
    public async Task<ReceivedMail> WaitForAsync(string recipient, TimeSpan timeout, Func<ReceivedMail, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_received.FirstOrDefault(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase) && (match is null || match(m))) is { } mail)
            {
                return mail;
            }

            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No email to {recipient} within {timeout}.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopping
            }
        }

        _stop.Dispose();
        _arrived.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        var stream = connection.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        string? from = null;
        string? user = null;
        var recipients = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 fake-smtp ESMTP ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake-smtp greets you");
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync("250-SMTPUTF8");
                        await writer.WriteLineAsync("250 AUTH PLAIN");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 fake-smtp");
                        break;
                    case "AUTH":
                        user = Authenticate(line);
                        await writer.WriteLineAsync(user is null ? "535 5.7.8 Authentication credentials invalid" : "235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        if (UserName is not null && user is null)
                        {
                            await writer.WriteLineAsync("530 5.7.0 Authentication required");
                            break;
                        }

                        from = PathOf(line);
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        if (from is null)
                        {
                            await writer.WriteLineAsync("503 5.5.1 MAIL first");
                            break;
                        }

                        recipients.Add(PathOf(line));
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        if (from is null || recipients.Count == 0)
                        {
                            await writer.WriteLineAsync("503 5.5.1 RCPT first");
                            break;
                        }

                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        _received.Enqueue(new ReceivedMail(from, [.. recipients], data.ToString(), user));
                        _arrived.Release();
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK queued");
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // client went away or the server stops
        }
    }

    private string? Authenticate(string line)
    {
        // AUTH PLAIN <base64(authzid \0 authcid \0 password)> (RFC 4616).
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
        return fields.Length == 3 && (UserName is null || (fields[1] == UserName && fields[2] == Password)) ? fields[1] : null;
    }

    private static string PathOf(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }
}
