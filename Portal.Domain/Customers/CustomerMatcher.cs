using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Customers;

/// <summary>A customer found (or created) for a contact.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">The name on record before this contact, or null.</param>
/// <param name="Phone">The phone number on record (E.164), or null.</param>
/// <param name="Returning">True when the customer existed before this contact.</param>
/// <param name="NextBookingUtc">Start of the customer's next confirmed booking (UTC), or null.</param>
public sealed record CustomerMatch(Guid CustomerId, string? Name, string? Phone, bool Returning, DateTimeOffset? NextBookingUtc = null);

/// <summary>
/// The one home of the rule "who is this customer": a contact belongs to the tenant's customer with the same E.164 phone
/// number, else the same email address (trimmed, lower-cased); when neither matches, a new customer is created. The phone
/// wins when phone and email point at two different customers (they are never merged automatically). Called when a
/// conversation opens from a known number, when a phone number or email becomes known during a conversation, and when a
/// booking is written. Every method takes the tenant explicitly and scopes to it (the voice and SMS channels run without a
/// signed-in user), so it ignores the query filter only to apply the same condition itself.
/// </summary>
public sealed partial class CustomerMatcher(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>The phone number when it is E.164 ("+12125550142"), else null ("anonymous", "266696687", empty).</summary>
    public static string? NormalizePhone(string? phone) =>
        phone is not null && E164Pattern().IsMatch(phone.Trim()) ? phone.Trim() : null;

    /// <summary>The email trimmed and lower-cased when it looks like an address and fits the column, else null.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().TrimEnd('.').ToLowerInvariant();
        return trimmed is { Length: > 0 and <= Customer.EmailMaxLength } && EmailPattern().IsMatch(trimmed) ? trimmed : null;
    }

    /// <summary>The first email address written in <paramref name="text"/> (a chat visitor typing "it's jamie@example.com"), normalised, or null.</summary>
    public static string? FindEmail(string? text) =>
        text is null ? null : EmailInText().Match(text) is { Success: true } m ? NormalizeEmail(m.Value) : null;

    /// <summary>
    /// Finds the customer of <paramref name="phone"/> or <paramref name="email"/> (the rule above) or creates one, fills in a
    /// missing phone, email or a newly given name, and moves the last contact to now. Null when neither identifies anyone.
    /// </summary>
    public async Task<CustomerMatch?> MatchAsync(Guid tenantId, string? phone, string? email, string? name, CancellationToken cancellationToken)
    {
        phone = NormalizePhone(phone);
        email = NormalizeEmail(email);
        if (phone is null && email is null)
        {
            return null;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await MatchOnceAsync(tenantId, phone, email, Clean(name), cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Two contacts from one new number raced to create the customer: the second finds the first's row.
            }
        }
    }

    /// <summary>Matches the contact (<see cref="MatchAsync"/>) and attaches the conversation to the customer. Null when nobody is identified.</summary>
    public async Task<CustomerMatch?> LinkConversationAsync(Guid tenantId, Guid conversationId, string? phone, string? email, string? name, CancellationToken cancellationToken)
    {
        var match = await MatchAsync(tenantId, phone, email, name, cancellationToken);
        if (match is not null)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await db.Conversations.IgnoreQueryFilters() // scoped by the explicit tenantId
                .Where(c => c.TenantId == tenantId && c.Id == conversationId && c.CustomerId != match.CustomerId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, match.CustomerId), cancellationToken);
        }

        return match;
    }

    /// <summary>Attaches a conversation that has no customer yet to <paramref name="customerId"/> (a booking made in it named its customer).</summary>
    public async Task AttachConversationAsync(Guid tenantId, Guid conversationId, Guid customerId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Conversations.IgnoreQueryFilters() // scoped by the explicit tenantId
            .Where(c => c.TenantId == tenantId && c.Id == conversationId && c.CustomerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, customerId), cancellationToken);
    }

    private async Task<CustomerMatch> MatchOnceAsync(Guid tenantId, string? phone, string? email, string? name, CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        var customers = db.Customers.IgnoreQueryFilters().Where(c => c.TenantId == tenantId); // scoped by the explicit tenantId
        var byPhone = phone is null ? null : await customers.FirstOrDefaultAsync(c => c.Phone == phone, ct);
        var byEmail = email is null || byPhone?.Email == email ? null : await customers.FirstOrDefaultAsync(c => c.Email == email, ct);
        var now = timeProvider.GetUtcNow();
        var customer = byPhone ?? byEmail;
        if (customer is null)
        {
            customer = new Customer { TenantId = tenantId, Phone = phone, Email = email, Name = name, FirstContactAt = now, LastContactAt = now };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
            return new CustomerMatch(customer.Id, null, phone, Returning: false);
        }

        var customerId = customer.Id;
        var onRecord = customer.Phone ?? phone;
        var next = await db.Bookings.IgnoreQueryFilters() // scoped by the explicit tenantId
            .Where(b => b.TenantId == tenantId && b.Status == BookingStatus.Confirmed && b.StartUtc > now && (b.CustomerId == customerId || (onRecord != null && b.CustomerPhone == onRecord)))
            .OrderBy(b => b.StartUtc).Select(b => (DateTimeOffset?)b.StartUtc).FirstOrDefaultAsync(ct);
        var known = new CustomerMatch(customerId, customer.Name, onRecord, Returning: true, next);
        customer.Phone ??= phone;
        // An email already held by another customer stays with that one (never merged automatically).
        customer.Email ??= byEmail is null || byEmail == customer ? email : null;
        customer.Name = name ?? customer.Name;
        customer.LastContactAt = now > customer.LastContactAt ? now : customer.LastContactAt;
        await db.SaveChangesAsync(ct);
        return known;
    }

    private static string? Clean(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > Customer.NameMaxLength ? trimmed[..Customer.NameMaxLength] : trimmed;
    }

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164Pattern();

    // The email patterns run on text customers typed (chat, SMS), so like the other text patterns (PiiPatterns) they use
    // the non-backtracking engine: linear time in the input, whatever it holds. The source generator does not support it.
    private static readonly Regex EmailRegex = new(@"^[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex EmailInTextRegex = new(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static Regex EmailPattern() => EmailRegex;

    private static Regex EmailInText() => EmailInTextRegex;
}
