using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Affiliates;

/// <summary>Applying to the affiliate programme and the admin's decision. One affiliate per user.</summary>
public sealed class AffiliateApplications(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The user's affiliate record, or null when they have not applied.</summary>
    public async Task<Affiliate?> ForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
    }

    /// <summary>Applies: a pending affiliate with a fresh referral code (8 characters, letters and digits).</summary>
    /// <exception cref="ArgumentException">A field is missing or too long; nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">The user already applied.</exception>
    public async Task<Affiliate> ApplyAsync(Guid userId, string name, string email, string audience, PayoutMethod method, string payoutAccount, CancellationToken cancellationToken)
    {
        Require(name, nameof(name), Course.TitleMaxLength, "your name");
        Require(audience, nameof(audience), Affiliate.TextMaxLength, "where you will promote Portal");
        Require(payoutAccount, nameof(payoutAccount), 256, "your PayPal email or Stripe account");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Affiliates.AnyAsync(a => a.UserId == userId, cancellationToken))
        {
            throw new InvalidOperationException("You have already applied.");
        }

        var affiliate = new Affiliate
        {
            UserId = userId, Name = name.Trim(), Email = email.Trim(), Audience = audience.Trim(), PayoutMethod = method,
            PayoutAccount = payoutAccount.Trim(), Code = NewCode(), Status = AffiliateStatus.Pending,
        };
        db.Affiliates.Add(affiliate);
        await db.SaveChangesAsync(cancellationToken);
        return affiliate;
    }

    /// <summary>Every affiliate, pending first (admin).</summary>
    public async Task<IReadOnlyList<Affiliate>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Affiliates.AsNoTracking().OrderBy(a => a.Status).ThenBy(a => a.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Sets an application's state (admin): approve or reject.</summary>
    /// <exception cref="KeyNotFoundException">No such affiliate.</exception>
    public async Task DecideAsync(Guid affiliateId, bool approve, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Id == affiliateId, cancellationToken) ?? throw new KeyNotFoundException("No such affiliate.");
        affiliate.Status = approve ? AffiliateStatus.Approved : AffiliateStatus.Rejected;
        affiliate.ApprovedAt = approve ? affiliate.ApprovedAt ?? now : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Require(string? value, string field, int max, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Enter {what}.", field);
        }

        if (value.Trim().Length > max)
        {
            throw new ArgumentException($"Keep {what} under {max} characters.", field);
        }
    }

    private static string NewCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return string.Create(8, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
