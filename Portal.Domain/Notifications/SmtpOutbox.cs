using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Data.Entities;

namespace Portal.Domain.Notifications;

/// <summary>
/// SMTP settings (<c>Email:Smtp</c>). Absent <see cref="Host"/> means keyless mode: emails go to the outbox table.
/// The password is read from configuration only (an environment variable or a secret store such as
/// <c>Email__Smtp__Password</c>); it is never written to the database.
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Email:Smtp";

    /// <summary>The SMTP server's host name; empty turns SMTP off.</summary>
    public string? Host { get; set; }

    /// <summary>TCP port: 587 (submission with STARTTLS), 465 (implicit TLS) or 25.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>User name for SMTP AUTH; empty sends without authenticating.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for SMTP AUTH (configuration only).</summary>
    public string? Password { get; set; }

    /// <summary>The From address, e.g. <c>Portal &lt;no-reply@example.com&gt;</c>.</summary>
    public string Sender { get; set; } = "Portal <no-reply@portal.local>";

    /// <summary>Transport security (MailKit <see cref="SecureSocketOptions"/>): <c>Auto</c> uses implicit TLS on 465 and
    /// STARTTLS when offered elsewhere; <c>StartTls</c> requires it.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Whether SMTP is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// The <see cref="IOutbox"/> used when <see cref="SmtpOptions.Host"/> is set: emails are sent at once through SMTP with
/// MailKit (RFC 5321 submission, https://github.com/jstedfast/MailKit) and not stored, since they may hold one-time
/// links; SMS still goes to the outbox table (<see cref="DatabaseOutbox"/>). Addresses and lengths are checked as the
/// outbox checks them.
/// </summary>
public sealed class SmtpOutbox(DatabaseOutbox database, IOptions<SmtpOptions> options, TimeProvider clock) : IOutbox
{
    /// <inheritdoc />
    /// <exception cref="MailKit.ProtocolException">The server broke the SMTP protocol.</exception>
    /// <exception cref="MailKit.Net.Smtp.SmtpCommandException">The server refused the sender, a recipient or the message.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The server cannot be reached.</exception>
    public Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, CancellationToken cancellationToken) =>
        SendEmailAsync(to, subject, body, category, tenantId, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The From is the configured <see cref="SmtpOptions.Sender"/>'s address with <paramref name="fromName"/> as its display name when given.</remarks>
    public async Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, string? fromName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        to = to.Trim();
        if (to.Length > OutboxMessage.ToMaxLength || !MailAddress.TryCreate(to, out var address) || address.Address != to)
        {
            throw new ArgumentException($"'{to}' is not a single email address.", nameof(to));
        }

        if (string.IsNullOrWhiteSpace(subject) || subject.Length > OutboxMessage.SubjectMaxLength || string.IsNullOrWhiteSpace(body) || body.Length > OutboxMessage.BodyMaxLength)
        {
            throw new ArgumentException("The subject and body must not be empty or too long.", nameof(body));
        }

        var name = DatabaseOutbox.CheckFromName(fromName);
        var o = options.Value;
        using var message = new MimeMessage();
        var sender = MailboxAddress.Parse(o.Sender);
        message.From.Add(name is null ? sender : new MailboxAddress(name, sender.Address));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject.Trim();
        message.Body = new TextPart("plain") { Text = body };
        // A neutral header name: an agency's clients see no trace of Portal in the message source either.
        message.Headers.Add("X-Message-Category", category);

        using var client = new MailKit.Net.Smtp.SmtpClient();
        await client.ConnectAsync(o.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set."), o.Port, o.Security, cancellationToken);
        if (!string.IsNullOrEmpty(o.UserName))
        {
            await client.AuthenticateAsync(o.UserName, o.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return new OutboxMessage { Kind = OutboxKind.Email, To = to, FromName = name, Subject = message.Subject, Body = body, Category = category, TenantId = tenantId, CreatedAt = clock.GetUtcNow() };
    }

    /// <inheritdoc />
    public Task<OutboxMessage> SendSmsAsync(string to, string body, string category, Guid? tenantId, CancellationToken cancellationToken) =>
        database.SendSmsAsync(to, body, category, tenantId, cancellationToken);
}
