using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Insights;

namespace Portal.Domain.Conversations;

/// <summary>What the conversations list filters by; null members do not filter.</summary>
/// <param name="Channel">Voice, web chat or SMS.</param>
/// <param name="Outcome">How the conversation ended.</param>
/// <param name="FromUtc">Started at or after (UTC; the page turns the owner's local date into it).</param>
/// <param name="ToUtc">Started before (UTC).</param>
/// <param name="Search">Part of the customer's name or phone; three or more digits also match the phone's digits.</param>
/// <param name="Insight">The analysis filters (follow-up, lead score, intent, sentiment).</param>
public sealed record ConversationQuery(Channel? Channel, ConversationOutcome? Outcome, DateTimeOffset? FromUtc, DateTimeOffset? ToUtc, string? Search, InsightFilter Insight);

/// <summary>A conversation as the list shows it, with its analysis when there is one.</summary>
/// <param name="Id">Conversation id.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="EndedAt">End (UTC), or null while it goes on.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Outcome">Outcome.</param>
/// <param name="CustomerName">Customer's name, when known.</param>
/// <param name="CustomerPhone">Customer's phone, when known.</param>
/// <param name="TurnCount">Turns so far.</param>
/// <param name="IsTest">Started by the owner from the console.</param>
/// <param name="LeadScore">Lead score 0–100 of the analysis, or null before it.</param>
/// <param name="Sentiment">Sentiment −1…1 of the analysis, or null before it.</param>
/// <param name="FollowUp">Follow-up flag of the analysis, or null before it.</param>
public sealed record ConversationRow(Guid Id, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, Channel Channel, ConversationOutcome Outcome, string? CustomerName, string? CustomerPhone, int TurnCount, bool IsTest, int? LeadScore, double? Sentiment, bool? FollowUp);

/// <summary>One page of the conversations list.</summary>
/// <param name="Rows">The page's conversations, latest first.</param>
/// <param name="Total">How many match the query.</param>
/// <param name="Page">The page returned (clamped to the pages there are).</param>
public sealed record ConversationPage(IReadOnlyList<ConversationRow> Rows, int Total, int Page);

/// <summary>A booking a conversation made.</summary>
/// <param name="Id">Booking id.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="ServiceName">The service.</param>
/// <param name="Status">Confirmed or cancelled.</param>
public sealed record ConversationBooking(Guid Id, DateTimeOffset StartUtc, string ServiceName, BookingStatus Status);

/// <summary>A recording of a call.</summary>
/// <param name="Id">Recording id.</param>
/// <param name="DurationMs">Length in milliseconds.</param>
public sealed record ConversationRecording(Guid Id, int DurationMs);

/// <summary>One conversation with its transcript (turns in order), the bookings it made and its recordings.</summary>
/// <param name="Conversation">The conversation, turns included.</param>
/// <param name="Bookings">Its bookings by start.</param>
/// <param name="Recordings">Its recordings, oldest first.</param>
public sealed record ConversationTranscript(Conversation Conversation, IReadOnlyList<ConversationBooking> Bookings, IReadOnlyList<ConversationRecording> Recordings);

/// <summary>What the API's conversation and call lists filter by; null members do not filter.</summary>
/// <param name="Channel">Only this channel (the calls list passes <see cref="Portal.Data.Entities.Channel.Voice"/>).</param>
/// <param name="Outcome">Only this outcome.</param>
/// <param name="FromUtc">Started at or after (UTC).</param>
/// <param name="ToUtc">Started before (UTC).</param>
/// <param name="CallStatus">Only calls whose provider status is this (lower case, such as <c>completed</c>).</param>
public sealed record ConversationSlice(Channel? Channel = null, ConversationOutcome? Outcome = null, DateTimeOffset? FromUtc = null, DateTimeOffset? ToUtc = null, string? CallStatus = null);

/// <summary>A stored recording of a call (a voice message).</summary>
/// <param name="Id">Recording id.</param>
/// <param name="ConversationId">The call.</param>
/// <param name="ContentType">MIME type of the audio (WAV).</param>
/// <param name="SizeBytes">Size in bytes.</param>
/// <param name="DurationMs">Length in milliseconds.</param>
/// <param name="CreatedAt">When it was stored (UTC).</param>
public sealed record CallRecordingInfo(Guid Id, Guid ConversationId, string ContentType, long SizeBytes, int DurationMs, DateTimeOffset CreatedAt);

/// <summary>
/// The conversations pages' reads for the current business: a filtered, paged list and one conversation with what it
/// led to; the API's keyset-paged conversation and call lists with their transcripts and recordings. The tenant query
/// filter scopes every query, so another business's conversation id reads as unknown (null or empty).
/// </summary>
public sealed class ConversationHistory(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>Longest search text used (longer input is cut).</summary>
    public const int SearchMaxLength = 100;

    /// <summary>Page <paramref name="page"/> (1-based, clamped) of the conversations matching <paramref name="query"/>, latest first.</summary>
    public async Task<ConversationPage> ListAsync(ConversationQuery query, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        pageSize = Math.Clamp(pageSize, 1, 100);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var conversations = db.Conversations.AsNoTracking();
        if (query.Channel is { } channel)
        {
            conversations = conversations.Where(c => c.Channel == channel);
        }

        if (query.Outcome is { } outcome)
        {
            conversations = conversations.Where(c => c.Outcome == outcome);
        }

        if (query.FromUtc is { } from)
        {
            conversations = conversations.Where(c => c.StartedAt >= from);
        }

        if (query.ToUtc is { } to)
        {
            conversations = conversations.Where(c => c.StartedAt < to);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            text = text.Length > SearchMaxLength ? text[..SearchMaxLength] : text;
            var pattern = $"%{EscapeLike(text)}%";
            var digits = new string([.. text.Where(char.IsAsciiDigit)]);
            var phonePattern = digits.Length >= 3 ? $"%{digits}%" : null;
            conversations = conversations.Where(c => EF.Functions.ILike(c.CustomerName ?? "", pattern)
                || EF.Functions.ILike(c.CustomerPhone ?? "", pattern)
                || (phonePattern != null && EF.Functions.Like(c.CustomerPhone ?? "", phonePattern)));
        }

        conversations = InsightQueries.Apply(conversations, db, query.Insight);
        var total = await conversations.CountAsync(cancellationToken);
        page = Math.Clamp(page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var rows = await conversations.OrderByDescending(c => c.StartedAt)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new ConversationRow(c.Id, c.StartedAt, c.EndedAt, c.Channel, c.Outcome, c.CustomerName, c.CustomerPhone, c.TurnCount, c.IsTest,
                db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (int?)i.LeadScore).FirstOrDefault(),
                db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (double?)i.Sentiment).FirstOrDefault(),
                db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (bool?)i.FollowUpNeeded).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new ConversationPage(rows, total, page);
    }

    /// <summary>The conversation with its turns, bookings and recordings, or null when it is not the current business's.</summary>
    public async Task<ConversationTranscript?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking()
            .Include(c => c.Turns.OrderBy(t => t.Sequence))
            .FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return null;
        }

        var bookings = await db.Bookings.AsNoTracking().Where(b => b.ConversationId == id).OrderBy(b => b.StartUtc)
            .Select(b => new ConversationBooking(b.Id, b.StartUtc, b.Service!.Name, b.Status)).ToListAsync(cancellationToken);
        var recordings = await db.CallRecordings.AsNoTracking().Where(r => r.ConversationId == id).OrderBy(r => r.CreatedAt)
            .Select(r => new ConversationRecording(r.Id, r.DurationMs)).ToListAsync(cancellationToken);
        return new ConversationTranscript(conversation, bookings, recordings);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> conversations of <paramref name="slice"/>, latest first (ties by id, descending),
    /// starting strictly after the row <paramref name="after"/> (the last row of the previous page; null: from the start).
    /// Turns are not loaded.
    /// </summary>
    public async Task<IReadOnlyList<Conversation>> ListAfterAsync(ConversationSlice slice, int limit, (DateTimeOffset At, Guid Id)? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slice);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking();
        if (slice.Channel is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }

        if (slice.FromUtc is { } from)
        {
            query = query.Where(c => c.StartedAt >= from);
        }

        if (slice.ToUtc is { } to)
        {
            query = query.Where(c => c.StartedAt < to);
        }

        if (!string.IsNullOrEmpty(slice.CallStatus))
        {
            var status = slice.CallStatus.ToLowerInvariant();
            query = query.Where(c => c.CallStatus == status);
        }

        if (slice.Outcome is { } outcome)
        {
            query = query.Where(c => c.Outcome == outcome);
        }

        if (after is var (at, lastId))
        {
            query = query.Where(c => c.StartedAt < at || (c.StartedAt == at && c.Id.CompareTo(lastId) < 0));
        }

        return await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The conversation with its turns (in any order), or null when it is not the current business's or not on <paramref name="channel"/> (null: any).</summary>
    public async Task<Conversation?> FindWithTurnsAsync(Guid id, Channel? channel, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Conversations.AsNoTracking().Include(c => c.Turns)
            .FirstOrDefaultAsync(c => c.Id == id && (channel == null || c.Channel == channel), cancellationToken);
    }

    /// <summary>Whether <paramref name="id"/> is a call (voice conversation) of the current business.</summary>
    public async Task<bool> IsCallAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Conversations.AnyAsync(c => c.Id == id && c.Channel == Channel.Voice, cancellationToken);
    }

    /// <summary>The recordings of conversation <paramref name="conversationId"/>, oldest first (empty when it is not the current business's).</summary>
    public async Task<IReadOnlyList<CallRecordingInfo>> RecordingsAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.CallRecordings.AsNoTracking().Where(r => r.ConversationId == conversationId).OrderBy(r => r.CreatedAt)
            .Select(r => new CallRecordingInfo(r.Id, r.ConversationId, r.ContentType, r.SizeBytes, r.DurationMs, r.CreatedAt)).ToListAsync(cancellationToken);
    }

    /// <summary>Escapes <c>\</c>, <c>%</c> and <c>_</c> for a LIKE pattern (PostgreSQL's default escape character).</summary>
    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
