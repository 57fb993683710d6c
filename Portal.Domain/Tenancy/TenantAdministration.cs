using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Numbers;

namespace Portal.Domain.Tenancy;

/// <summary>One business as the admin tenant list shows it.</summary>
public sealed record TenantAdminRow(Guid Id, string Name, Industry Industry, TenantStatus Status, int OnboardingStep,
    IReadOnlyList<string> Numbers, int ConversationsThisMonth, DateTimeOffset? LastActivity, DateTimeOffset CreatedAt, int Agents = 0, Plan Plan = Plan.PayAsYouGo);

/// <summary>
/// One agent as the admin "all agents" page shows it. Calls are voice conversations, chats web-chat
/// ones (test-console conversations are not counted). Windows are UTC: today since 00:00, 7 days
/// including today.
/// </summary>
/// <param name="AgentId">Agent persona id.</param>
/// <param name="AgentName">Agent name.</param>
/// <param name="TenantId">Its business.</param>
/// <param name="TenantName">Business name.</param>
/// <param name="IsLive">Whether the agent answers.</param>
/// <param name="CallsToday">Voice conversations started today.</param>
/// <param name="ChatsToday">Web chats started today.</param>
/// <param name="Calls7Days">Voice conversations in the last 7 days.</param>
/// <param name="Chats7Days">Web chats in the last 7 days.</param>
/// <param name="AverageCallSeconds">Mean call duration over the 7 days (Twilio <c>CallDuration</c>, seconds), null without finished calls.</param>
/// <param name="BookingRate">Share (0–1) of the 7 days' conversations that ended in a booking, null without conversations.</param>
/// <param name="Errors">Calls in the 7 days that did not connect (status failed, busy, no-answer, canceled).</param>
/// <param name="Fallbacks">Agent replies in the 7 days where no intent was understood (stored intent <c>None</c>).</param>
/// <param name="LastConversation">Start of the latest conversation ever, null when none.</param>
public sealed record AgentAdminRow(Guid AgentId, string AgentName, Guid TenantId, string TenantName, bool IsLive,
    int CallsToday, int ChatsToday, int Calls7Days, int Chats7Days, double? AverageCallSeconds, double? BookingRate,
    int Errors, int Fallbacks, DateTimeOffset? LastConversation)
{
    /// <summary>Calls of the last 7 days whose agent voice failed to speak at least once (another voice spoke instead).</summary>
    public int SpeechErrors { get; init; }

    /// <summary>The most recent of those failures, for people, or null.</summary>
    public string? LastSpeechError { get; init; }

    /// <summary>All errors of the last 7 days: calls that never connected plus calls whose voice failed.</summary>
    public int TotalErrors => Errors + SpeechErrors;
}

/// <summary>Conversations started on one UTC day, per channel, for the volume chart.</summary>
public sealed record DailyVolume(DateOnly Day, int Calls, int Chats);

/// <summary>
/// The platform-admin view of every business: a list with numbers and activity, and suspend /
/// reactivate, each a conditional UPDATE plus its audit entry in one transaction. Every query here
/// crosses tenants on purpose (<c>IgnoreQueryFilters</c>); callers must be platform admins.
/// </summary>
public sealed class TenantAdministration(IDbContextFactory<PortalDbContext> contextFactory, AuditLog auditLog, TimeProvider timeProvider)
{
    /// <summary>The name of business <paramref name="tenantId"/>, whichever it is (an admin picks any), or null when there is none.</summary>
    public async Task<string?> NameAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The admin picks any business: looked up across tenants on purpose.
        return await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Businesses whose name contains <paramref name="search"/> (all when empty), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TenantAdminRow>> ListAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Admin list: every tenant, so the tenant filter is ignored deliberately throughout.
        var tenantQuery = db.Tenants.IgnoreQueryFilters().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{Like.Escape(search.Trim())}%";
            tenantQuery = tenantQuery.Where(t => EF.Functions.ILike(t.Name, pattern));
        }

        var tenants = await tenantQuery.OrderByDescending(t => t.CreatedAt).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        var ids = tenants.Select(t => t.Id).ToList();
        var now = timeProvider.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var agents = await db.AgentPersonas.IgnoreQueryFilters().AsNoTracking()
            .Where(a => ids.Contains(a.TenantId)).GroupBy(a => a.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Count() }).ToDictionaryAsync(a => a.TenantId, a => a.Count, cancellationToken);
        var numbers = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.TenantId != null && ids.Contains(p.TenantId.Value) && p.Status != PhoneNumberStatus.Available)
            .Select(p => new { p.TenantId, p.E164 }).ToListAsync(cancellationToken);
        var activity = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => ids.Contains(c.TenantId))
            .GroupBy(c => c.TenantId)
            .Select(g => new { TenantId = g.Key, ThisMonth = g.Count(c => c.StartedAt >= monthStart), Last = (DateTimeOffset?)g.Max(c => c.StartedAt) })
            .ToDictionaryAsync(a => a.TenantId, cancellationToken);
        return tenants.Select(t => new TenantAdminRow(t.Id, t.Name, t.Industry, t.Status, t.OnboardingStep,
                numbers.Where(n => n.TenantId == t.Id).Select(n => n.E164).Order(StringComparer.Ordinal).ToList(),
                activity.TryGetValue(t.Id, out var a) ? a.ThisMonth : 0,
                activity.TryGetValue(t.Id, out var b) ? b.Last : null,
                t.CreatedAt,
                agents.GetValueOrDefault(t.Id),
                t.Plan))
            .ToList();
    }

    /// <summary>Statuses of calls that never connected (Twilio CallStatus), counted as errors on the agents page.</summary>
    public static readonly IReadOnlyList<string> FailedCallStatuses = ["failed", "busy", "no-answer", "canceled"];

    /// <summary>
    /// Every agent of every business with its activity (see <see cref="AgentAdminRow"/>), by business
    /// then agent name; agents whose business or agent name contains <paramref name="search"/>, at most
    /// <paramref name="limit"/> (1–1000). A handful of grouped queries, none per agent.
    /// </summary>
    public async Task<IReadOnlyList<AgentAdminRow>> AgentsAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Admin overview of all agents: crosses tenants on purpose.
        var rows = from a in db.AgentPersonas.IgnoreQueryFilters().AsNoTracking()
                   join t in db.Tenants.IgnoreQueryFilters().AsNoTracking() on a.TenantId equals t.Id
                   select new { a.Id, a.Name, a.TenantId, TenantName = t.Name, a.IsLive };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{Like.Escape(search.Trim())}%";
            rows = rows.Where(r => EF.Functions.ILike(r.TenantName, pattern) || EF.Functions.ILike(r.Name, pattern));
        }

        var agents = await rows.OrderBy(r => r.TenantName).ThenBy(r => r.Name).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        var ids = agents.Select(a => a.Id).ToList();
        var now = timeProvider.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var weekStart = today.AddDays(-6);
        var conversations = db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.AgentPersonaId));
        var failed = FailedCallStatuses.ToList();
        var week = await conversations.Where(c => c.StartedAt >= weekStart && !c.IsTest)
            .GroupBy(c => c.AgentPersonaId)
            .Select(g => new
            {
                AgentId = g.Key,
                CallsToday = g.Count(c => c.Channel == Channel.Voice && c.StartedAt >= today),
                ChatsToday = g.Count(c => c.Channel == Channel.WebChat && c.StartedAt >= today),
                Calls = g.Count(c => c.Channel == Channel.Voice),
                Chats = g.Count(c => c.Channel == Channel.WebChat),
                AverageCall = g.Where(c => c.Channel == Channel.Voice && c.DurationSeconds != null).Average(c => (double?)c.DurationSeconds),
                Booked = g.Count(c => c.Outcome == ConversationOutcome.Booked),
                Errors = g.Count(c => c.Channel == Channel.Voice && c.CallStatus != null && failed.Contains(c.CallStatus)),
                SpeechErrors = g.Count(c => c.SpeechFailures > 0),
                LastSpeechError = g.Where(c => c.SpeechFailures > 0).OrderByDescending(c => c.StartedAt).Select(c => c.SpeechFailureReason).FirstOrDefault(),
            })
            .ToDictionaryAsync(x => x.AgentId, cancellationToken);
        var fallbacks = await (from turn in db.Turns.IgnoreQueryFilters().AsNoTracking()
                               join c in conversations on turn.ConversationId equals c.Id
                               where c.StartedAt >= weekStart && !c.IsTest && turn.Speaker == Speaker.Agent && turn.Intent == "None"
                               group turn by c.AgentPersonaId into g
                               select new { AgentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.AgentId, x => x.Count, cancellationToken);
        var last = await conversations.Where(c => !c.IsTest).GroupBy(c => c.AgentPersonaId)
            .Select(g => new { AgentId = g.Key, Last = g.Max(c => c.StartedAt) })
            .ToDictionaryAsync(x => x.AgentId, x => x.Last, cancellationToken);
        return agents.Select(a =>
        {
            var w = week.GetValueOrDefault(a.Id);
            var total = (w?.Calls ?? 0) + (w?.Chats ?? 0);
            return new AgentAdminRow(a.Id, a.Name, a.TenantId, a.TenantName, a.IsLive,
                w?.CallsToday ?? 0, w?.ChatsToday ?? 0, w?.Calls ?? 0, w?.Chats ?? 0, w?.AverageCall,
                total == 0 ? null : (double)(w?.Booked ?? 0) / total,
                w?.Errors ?? 0, fallbacks.GetValueOrDefault(a.Id), last.TryGetValue(a.Id, out var l) ? l : null)
            {
                SpeechErrors = w?.SpeechErrors ?? 0,
                LastSpeechError = w?.LastSpeechError,
            };
        }).ToList();
    }

    /// <summary>Calls and chats started per UTC day over the last <paramref name="days"/> days (1–366), every day present (zeros included), oldest first.</summary>
    public async Task<IReadOnlyList<DailyVolume>> VolumeAsync(int days, CancellationToken cancellationToken)
    {
        days = Math.Clamp(days, 1, 366);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform-wide volume: crosses tenants on purpose (plain SQL has no tenant filter). Grouped by UTC date in the database.
        var counts = await db.Database.SqlQuery<VolumeCount>($"""
            SELECT (started_at AT TIME ZONE 'UTC')::date AS day, channel, count(*)::int AS count
            FROM conversations
            WHERE started_at >= {from} AND NOT is_test
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);
        return Enumerable.Range(0, days).Select(i => first.AddDays(i)).Select(day => new DailyVolume(day,
                counts.Where(c => c.Day == day && c.Channel == nameof(Channel.Voice)).Sum(c => c.Count),
                counts.Where(c => c.Day == day && c.Channel == nameof(Channel.WebChat)).Sum(c => c.Count)))
            .ToList();
    }

    /// <summary>One row of the volume query: conversations of one channel on one UTC day.</summary>
    private sealed class VolumeCount
    {
        public DateOnly Day { get; set; }

        public string Channel { get; set; } = "";

        public int Count { get; set; }
    }

    /// <summary>Any status but Suspended → Suspended.</summary>
    public Task<AdminActionResult> SuspendAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ActAsync(tenantId, AuditActions.TenantSuspend, t => t.Status != TenantStatus.Suspended,
            (q, now) => q.ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TenantStatus.Suspended).SetProperty(t => t.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>Suspended → Active when onboarding is finished (step 4), else back to Onboarding.</summary>
    public Task<AdminActionResult> ReactivateAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ActAsync(tenantId, AuditActions.TenantReactivate, t => t.Status == TenantStatus.Suspended,
            (q, now) => q.ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, t => t.OnboardingStep >= 4 ? TenantStatus.Active : TenantStatus.Onboarding)
                .SetProperty(t => t.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>
    /// Moves a business to <paramref name="plan"/> and writes the audit entry (from, to) in the same transaction. NotApplicable
    /// when it is already on that plan, NotFound when there is no such business.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The signed-in user is not a platform admin.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plan"/> is not a defined plan.</exception>
    public Task<AdminActionResult> ChangePlanAsync(Guid tenantId, Plan plan, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(plan))
        {
            throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan.");
        }

        return ActAsync(tenantId, AuditActions.TenantChangePlan, t => t.Plan != plan,
            (q, now) => q.ExecuteUpdateAsync(s => s.SetProperty(t => t.Plan, plan).SetProperty(t => t.UpdatedAt, now), cancellationToken),
            cancellationToken, (before, after) => new { name = before.Name, from = before.Plan.ToString(), to = after.Plan.ToString() });
    }

    /// <summary>
    /// One admin action on a business: the conditional UPDATE (<paramref name="applies"/> false → NotApplicable) and its audit
    /// entry in one transaction; the entry's details are the status change unless <paramref name="details"/> says otherwise.
    /// </summary>
    private async Task<AdminActionResult> ActAsync(Guid tenantId, string action, System.Linq.Expressions.Expression<Func<Tenant, bool>> applies,
        Func<IQueryable<Tenant>, DateTimeOffset, Task<int>> update, CancellationToken cancellationToken, Func<Tenant, Tenant, object>? details = null)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins change a business's status or plan.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Admin action on any tenant: the tenant filter is ignored on purpose.
        var tenants = db.Tenants.IgnoreQueryFilters();
        var before = await tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (before is null)
        {
            return AdminActionResult.NotFound;
        }

        if (await update(tenants.Where(t => t.Id == tenantId).Where(applies), timeProvider.GetUtcNow()) == 0)
        {
            return AdminActionResult.NotApplicable;
        }

        var after = await tenants.AsNoTracking().FirstAsync(t => t.Id == tenantId, cancellationToken);
        auditLog.Stage(db, actor, action, nameof(Tenant), tenantId.ToString(), tenantId,
            details?.Invoke(before, after) ?? new { name = before.Name, from = before.Status.ToString(), to = after.Status.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminActionResult.Done;
    }
}
