using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;

namespace Portal.Domain.Numbers;

/// <summary>A number chosen from the provider's search results, to buy.</summary>
/// <param name="E164">E.164 number.</param>
/// <param name="Locality">City as the search reported it.</param>
/// <param name="Region">Region / state code as the search reported it.</param>
public sealed record PurchaseCandidate(string E164, string? Locality, string? Region);

/// <summary>
/// What an admin asks to buy: either <see cref="Numbers"/> (chosen from a search) or, when that is
/// empty, any <see cref="Count"/> numbers matching the search fields (bulk buy).
/// </summary>
/// <param name="Numbers">Chosen numbers (at most <see cref="NumberPurchaseBatch.MaxCount"/>); empty for a bulk buy.</param>
/// <param name="Count">Bulk: how many numbers, 1–<see cref="NumberPurchaseBatch.MaxCount"/>. Ignored when numbers are chosen.</param>
/// <param name="AreaCode">Bulk search: area code 200–999.</param>
/// <param name="Region">Bulk search: two-letter region.</param>
/// <param name="Locality">Bulk search: city.</param>
/// <param name="Contains">Bulk search: digit pattern.</param>
/// <param name="VoiceUrl">Absolute http(s) URL for each number's voice webhook.</param>
/// <param name="StatusCallbackUrl">Absolute http(s) URL for each number's status callback.</param>
/// <param name="MonthlyCostCents">Price per number per month, US cents, 0–100000.</param>
public sealed record PurchaseRequest(
    IReadOnlyList<PurchaseCandidate> Numbers,
    int Count,
    int? AreaCode,
    string? Region,
    string? Locality,
    string? Contains,
    Uri VoiceUrl,
    Uri StatusCallbackUrl,
    long MonthlyCostCents);

/// <summary>
/// Stores and reads "buy numbers" batches (<see cref="NumberPurchaseBatch"/>). The buying itself is
/// done by the <c>PurchaseNumbersJob</c> in Portal.Jobs, which updates the rows this reads.
/// </summary>
public sealed class PurchaseBatches(IDbContextFactory<PortalDbContext> contextFactory, AuditLog auditLog)
{
    /// <summary>Highest accepted price per number per month (US cents): $1000.</summary>
    public const long MaxMonthlyCostCents = 100_000;

    /// <summary>
    /// Validates <paramref name="request"/> and stores a queued batch (with one pending item per chosen
    /// number) plus its audit entry. Platform admins only.
    /// </summary>
    /// <returns>The new batch's id.</returns>
    /// <exception cref="ArgumentException">A malformed field (named in the message); nothing is stored.</exception>
    /// <exception cref="UnauthorizedAccessException">The current user is not a platform admin.</exception>
    public async Task<Guid> CreateAsync(PurchaseRequest request, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var numbers = Validate(request);
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins buy numbers.");
        }

        var batch = new NumberPurchaseBatch
        {
            RequestedByUserId = actor.UserId,
            RequestedByEmail = actor.Email,
            Provider = provider,
            RequestedCount = numbers.Count > 0 ? numbers.Count : request.Count,
            IsBulk = numbers.Count == 0,
            SearchAreaCode = numbers.Count > 0 ? null : request.AreaCode,
            SearchRegion = numbers.Count > 0 ? null : request.Region?.Trim().ToUpperInvariant(),
            SearchLocality = numbers.Count > 0 ? null : request.Locality?.Trim(),
            SearchContains = numbers.Count > 0 ? null : request.Contains?.Trim(),
            VoiceUrl = request.VoiceUrl.AbsoluteUri,
            StatusCallbackUrl = request.StatusCallbackUrl.AbsoluteUri,
            MonthlyCostCents = request.MonthlyCostCents,
            Status = PurchaseBatchStatus.Queued,
            Items = numbers.Select(n => new NumberPurchaseItem { E164 = n.E164, Locality = n.Locality ?? "", Region = n.Region ?? "" }).ToList(),
        };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.NumberPurchaseBatches.Add(batch);
        auditLog.Stage(db, actor, AuditActions.NumbersPurchase, nameof(NumberPurchaseBatch), batch.Id.ToString(), null, new
        {
            provider,
            count = batch.RequestedCount,
            chosen = numbers.Select(n => n.E164).ToArray(),
            areaCode = batch.SearchAreaCode,
            region = batch.SearchRegion,
            locality = batch.SearchLocality,
            contains = batch.SearchContains,
            monthlyCostCents = batch.MonthlyCostCents,
        });
        await db.SaveChangesAsync(cancellationToken);
        return batch.Id;
    }

    /// <summary>Records the Hangfire job id running <paramref name="batchId"/>.</summary>
    public async Task SetJobIdAsync(Guid batchId, string jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.NumberPurchaseBatches.Where(b => b.Id == batchId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.JobId, jobId), cancellationToken);
    }

    /// <summary>
    /// Puts a failed or interrupted batch back in the queue so the job can finish it (items already
    /// bought are kept). Returns false when the batch is unknown or already completed.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The current user is not a platform admin.</exception>
    public async Task<bool> RequeueAsync(Guid batchId, CancellationToken cancellationToken)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins buy numbers.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.NumberPurchaseBatches.Where(b => b.Id == batchId && b.Status != PurchaseBatchStatus.Completed)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, PurchaseBatchStatus.Queued).SetProperty(b => b.Error, (string?)null), cancellationToken) == 1;
    }

    /// <summary>The batch with its items (in E.164 order), or null.</summary>
    public async Task<NumberPurchaseBatch?> GetAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.NumberPurchaseBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is not null)
        {
            batch.Items = await db.NumberPurchaseItems.AsNoTracking().Where(i => i.BatchId == batchId).OrderBy(i => i.E164).ToListAsync(cancellationToken);
        }

        return batch;
    }

    /// <summary>The latest batches (without items), newest first.</summary>
    public async Task<IReadOnlyList<NumberPurchaseBatch>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.NumberPurchaseBatches.AsNoTracking().OrderByDescending(b => b.CreatedAt).Take(Math.Clamp(limit, 1, 100)).ToListAsync(cancellationToken);
    }

    /// <summary>Which of <paramref name="e164s"/> the pool already holds (any status), so search results can mark them.</summary>
    public async Task<IReadOnlySet<string>> InPoolAsync(IEnumerable<string> e164s, CancellationToken cancellationToken)
    {
        var list = e164s.Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.PhoneNumbers.AsNoTracking().Where(p => list.Contains(p.E164)).Select(p => p.E164).ToListAsync(cancellationToken);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    private static List<PurchaseCandidate> Validate(PurchaseRequest request)
    {
        RequireUrl(request.VoiceUrl, nameof(request.VoiceUrl));
        RequireUrl(request.StatusCallbackUrl, nameof(request.StatusCallbackUrl));
        if (request.MonthlyCostCents is < 0 or > MaxMonthlyCostCents)
        {
            throw new ArgumentException($"MonthlyCostCents must be between 0 and {MaxMonthlyCostCents}.", nameof(request));
        }

        var numbers = new List<PurchaseCandidate>();
        foreach (var n in request.Numbers ?? [])
        {
            var e164 = n.E164?.Trim() ?? "";
            if (!e164.StartsWith('+') || E164.TryNormalize(e164) != e164)
            {
                throw new ArgumentException($"'{n.E164}' is not an E.164 phone number.", nameof(request));
            }

            if (numbers.All(x => x.E164 != e164))
            {
                numbers.Add(n with { E164 = e164 });
            }
        }

        if (numbers.Count > NumberPurchaseBatch.MaxCount)
        {
            throw new ArgumentException($"At most {NumberPurchaseBatch.MaxCount} numbers per batch.", nameof(request));
        }

        if (numbers.Count == 0)
        {
            if (request.Count is < 1 or > NumberPurchaseBatch.MaxCount)
            {
                throw new ArgumentException($"Count must be between 1 and {NumberPurchaseBatch.MaxCount}.", nameof(request));
            }

            if (request.AreaCode is { } ac && (ac < 200 || ac > 999))
            {
                throw new ArgumentException("AreaCode must be between 200 and 999.", nameof(request));
            }

            if (request.Region is { Length: > 0 } r && (r.Trim().Length != 2 || !r.Trim().All(char.IsAsciiLetter)))
            {
                throw new ArgumentException("Region must be a two-letter code such as \"CA\".", nameof(request));
            }

            if (request.Locality is { Length: > 64 })
            {
                throw new ArgumentException("Locality must be at most 64 characters.", nameof(request));
            }

            if (request.Contains is { Length: > 0 } c && (c.Trim().Length is < 2 or > 16 || !c.Trim().All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '*')))
            {
                throw new ArgumentException("Contains must be 2 to 16 characters of digits, letters or '*'.", nameof(request));
            }
        }

        return numbers;
    }

    private static void RequireUrl(Uri? url, string name)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.AbsoluteUri.Length > NumberPurchaseBatch.UrlMaxLength)
        {
            throw new ArgumentException($"{name} must be an absolute http(s) URL of at most {NumberPurchaseBatch.UrlMaxLength} characters.", name);
        }
    }
}
