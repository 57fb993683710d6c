using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;

namespace Portal.Domain.Notifications;

/// <summary>
/// Where the platform hands every email and SMS it sends. In keyless mode (no SMTP, no Twilio
/// Messaging configured, the only mode built so far) <see cref="DatabaseOutbox"/> stores each message in
/// <see cref="OutboxMessage"/> for admins to read; a real sender would store and then deliver.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues an email.</summary>
    /// <param name="to">One address (RFC 5322 addr-spec), at most <see cref="OutboxMessage.ToMaxLength"/> characters.</param>
    /// <param name="subject">Subject, 1–<see cref="OutboxMessage.SubjectMaxLength"/> characters.</param>
    /// <param name="body">Plain-text body, 1–<see cref="OutboxMessage.BodyMaxLength"/> characters.</param>
    /// <param name="category">What triggered it (<see cref="OutboxCategories"/>).</param>
    /// <param name="tenantId">Business concerned, if any.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored message.</returns>
    /// <exception cref="ArgumentException">A malformed address or an empty/over-long subject or body; nothing is stored.</exception>
    Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, CancellationToken cancellationToken);

    /// <summary>Queues an email whose From carries <paramref name="fromName"/> as display name (the configured sender's address).</summary>
    /// <param name="to">As <see cref="SendEmailAsync(string, string, string, string, Guid?, CancellationToken)"/>.</param>
    /// <param name="subject">Subject.</param>
    /// <param name="body">Plain-text body.</param>
    /// <param name="category">What triggered it.</param>
    /// <param name="tenantId">Business concerned, if any.</param>
    /// <param name="fromName">Display name, 1–<see cref="OutboxMessage.FromNameMaxLength"/> characters, or null for the configured sender's own.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored message.</returns>
    /// <exception cref="ArgumentException">As the other overload, or a too-long <paramref name="fromName"/>; nothing is stored.</exception>
    Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, string? fromName, CancellationToken cancellationToken);

    /// <summary>Queues an SMS.</summary>
    /// <param name="to">Recipient in E.164 ("+14155550123").</param>
    /// <param name="body">Text, 1–<see cref="OutboxMessage.SmsMaxLength"/> characters.</param>
    /// <param name="category">What triggered it (<see cref="OutboxCategories"/>).</param>
    /// <param name="tenantId">Business concerned, if any.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored message.</returns>
    /// <exception cref="ArgumentException">Not an E.164 number, or an empty/over-long body; nothing is stored.</exception>
    Task<OutboxMessage> SendSmsAsync(string to, string body, string category, Guid? tenantId, CancellationToken cancellationToken);
}

/// <summary>Category names of outbox messages, one constant each so the outbox page can filter by them.</summary>
public static class OutboxCategories
{
    /// <summary>A business's number went live.</summary>
    public const string NumberLive = "number.live";

    /// <summary>Reconciliation found drift between the pool and the provider.</summary>
    public const string PoolDrift = "pool.drift";

    /// <summary>A caller left a message for the business.</summary>
    public const string CallerMessage = "caller.message";

    /// <summary>A booking was made.</summary>
    public const string BookingCreated = "booking.created";

    /// <summary>A booking was cancelled.</summary>
    public const string BookingCancelled = "booking.cancelled";

    /// <summary>The agent met a question its knowledge does not answer.</summary>
    public const string KnowledgeGap = "knowledge.gap";

    /// <summary>A purchase batch finished.</summary>
    public const string PurchaseFinished = "numbers.purchased";

    /// <summary>A webhook endpoint was disabled after failing for days.</summary>
    public const string WebhookDisabled = "webhook.disabled";
}

/// <summary>Filter for <see cref="DatabaseOutbox.ListAsync"/>; every field optional. <see cref="Search"/> matches recipient or subject.</summary>
public sealed record OutboxQuery(OutboxKind? Kind = null, string? Category = null, string? Search = null, int Limit = 200);

/// <summary>The keyless <see cref="IOutbox"/>: validates, then stores every message in <c>outbox_messages</c>; <see cref="ListAsync"/> reads them back for the admin page.</summary>
public sealed class DatabaseOutbox(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider) : IOutbox
{
    /// <inheritdoc />
    public Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, CancellationToken cancellationToken) =>
        SendEmailAsync(to, subject, body, category, tenantId, null, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, string? fromName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        to = to.Trim();
        if (to.Length > OutboxMessage.ToMaxLength || !MailAddress.TryCreate(to, out var address) || address.Address != to)
        {
            throw new ArgumentException($"'{to}' is not a single email address.", nameof(to));
        }

        RequireText(subject, OutboxMessage.SubjectMaxLength, nameof(subject));
        RequireText(body, OutboxMessage.BodyMaxLength, nameof(body));
        return StoreAsync(OutboxKind.Email, to, subject.Trim(), body, category, tenantId, CheckFromName(fromName), cancellationToken);
    }

    /// <inheritdoc />
    public Task<OutboxMessage> SendSmsAsync(string to, string body, string category, Guid? tenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        var e164 = to.Trim();
        if (!e164.StartsWith('+') || E164.TryNormalize(e164) != e164)
        {
            throw new ArgumentException($"'{to}' is not a phone number in E.164 form (+14155550123).", nameof(to));
        }

        RequireText(body, OutboxMessage.SmsMaxLength, nameof(body));
        return StoreAsync(OutboxKind.Sms, e164, "", body, category, tenantId, null, cancellationToken);
    }

    /// <summary>Messages matching <paramref name="query"/>, newest first, at most <see cref="OutboxQuery.Limit"/> (1–1000).</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.OutboxMessages.AsNoTracking();
        if (query.Kind is { } kind)
        {
            messages = messages.Where(m => m.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            messages = messages.Where(m => m.Category == query.Category);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = $"%{Like.Escape(query.Search.Trim())}%";
            messages = messages.Where(m => EF.Functions.ILike(m.To, pattern) || EF.Functions.ILike(m.Subject, pattern));
        }

        return await messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(cancellationToken);
    }

    /// <summary><paramref name="fromName"/> trimmed (null when blank).</summary>
    /// <exception cref="ArgumentException">Longer than <see cref="OutboxMessage.FromNameMaxLength"/>, or a line break in it.</exception>
    internal static string? CheckFromName(string? fromName)
    {
        var name = string.IsNullOrWhiteSpace(fromName) ? null : fromName.Trim();
        if (name is { Length: > OutboxMessage.FromNameMaxLength } || name?.IndexOfAny(['\r', '\n']) >= 0)
        {
            throw new ArgumentException($"The sender name must be one line of at most {OutboxMessage.FromNameMaxLength} characters.", nameof(fromName));
        }

        return name;
    }

    private static void RequireText(string? text, int maxLength, string name)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
        {
            throw new ArgumentException($"{name} must be 1 to {maxLength} characters.", name);
        }
    }

    private async Task<OutboxMessage> StoreAsync(OutboxKind kind, string to, string subject, string body, string category, Guid? tenantId, string? fromName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        if (category.Length > OutboxMessage.CategoryMaxLength)
        {
            throw new ArgumentException($"category must be at most {OutboxMessage.CategoryMaxLength} characters.", nameof(category));
        }

        var message = new OutboxMessage
        {
            Kind = kind, To = to, FromName = fromName, Subject = subject, Body = body, Category = category, TenantId = tenantId, CreatedAt = timeProvider.GetUtcNow(),
        };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return message;
    }
}
