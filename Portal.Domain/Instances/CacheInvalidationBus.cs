using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portal.Domain.Instances;

/// <summary>
/// Invalidates in-process caches on every Portal instance over one PostgreSQL database. A cache that changed here drops its
/// entry at once and <see cref="Publish"/>es the change; <see cref="CacheInvalidationListener"/> sends it with PostgreSQL
/// <c>NOTIFY</c> on <see cref="ChannelName"/> and delivers every other instance's notifications to the subscribers of the
/// topic (https://www.postgresql.org/docs/current/sql-notify.html, https://www.npgsql.org/doc/wait.html). After the
/// listening connection was lost (notifications in between may be missed), every subscriber is told to drop everything.
/// </summary>
/// <remarks>
/// A notification is <c>topic|key|instance</c>: the topic names a cache (<see cref="CacheTopics"/>), the key is a tenant id
/// or <c>*</c> for all entries, the instance is <see cref="InstanceId"/> (an instance ignores its own notifications: it has
/// already dropped the entry). Thread-safe; <see cref="Publish"/> never blocks and never throws for a database fault (the
/// send is logged and retried by the listener).
/// </remarks>
public sealed class CacheInvalidationBus
{
    /// <summary>The PostgreSQL notification channel every instance listens on.</summary>
    public const string ChannelName = "portal_cache_invalidation";

    /// <summary>Most notifications waiting to be sent; beyond it the oldest are dropped (their caches still expire).</summary>
    public const int MaxPending = 10_000;

    private readonly ConcurrentDictionary<string, ImmutableHandlers> _subscribers = new(StringComparer.Ordinal);
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly ILogger _logger;

    /// <summary>Creates the bus (one per process).</summary>
    /// <param name="logger">Logs handler faults; optional.</param>
    public CacheInvalidationBus(ILogger<CacheInvalidationBus>? logger = null) => _logger = logger ?? NullLogger<CacheInvalidationBus>.Instance;

    /// <summary>This process's id in notifications (new on every start).</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>Notifications received from other instances and delivered (a figure for tests and health).</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>Notifications waiting for the listener to send them.</summary>
    internal ChannelReader<string> Outbox => _outbox.Reader;

    /// <summary>
    /// Calls <paramref name="handler"/> when another instance invalidates <paramref name="topic"/>: with the key (a tenant
    /// id), or null for "every entry" (a <c>*</c> notification, or a reconnect of the listener). Handlers run on the
    /// listener's task and must be quick (drop a dictionary entry). Dispose the result to unsubscribe.
    /// </summary>
    /// <param name="topic">A <see cref="CacheTopics"/> name.</param>
    /// <param name="handler">Drops the entry (or everything, for null).</param>
    /// <returns>The subscription.</returns>
    public IDisposable Subscribe(string topic, Action<Guid?> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(handler);
        _subscribers.AddOrUpdate(topic, _ => new ImmutableHandlers([handler]), (_, h) => h.Add(handler));
        return new Subscription(this, topic, handler);
    }

    /// <summary>
    /// Tells every other instance that <paramref name="topic"/>'s entry for <paramref name="key"/> (null: all entries)
    /// changed. The caller drops its own entry itself. Queued; sent by <see cref="CacheInvalidationListener"/>.
    /// </summary>
    /// <param name="topic">A <see cref="CacheTopics"/> name (no <c>|</c>).</param>
    /// <param name="key">The tenant id, or null for all entries.</param>
    /// <exception cref="ArgumentException"><paramref name="topic"/> is empty or contains <c>|</c>.</exception>
    public void Publish(string topic, Guid? key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (topic.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("A topic cannot contain '|'.", nameof(topic));
        }

        _outbox.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{topic}|{key?.ToString("N") ?? "*"}|{InstanceId:N}"));
    }

    /// <summary>Delivers one notification payload; ignores this instance's own and malformed ones. True when delivered.</summary>
    /// <param name="payload">The <c>NOTIFY</c> payload.</param>
    internal bool Deliver(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length != 3 || !Guid.TryParseExact(parts[2], "N", out var origin) || origin == InstanceId)
        {
            return false;
        }

        Guid? key = null;
        if (parts[1] != "*")
        {
            if (!Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }

            key = id;
        }

        Interlocked.Increment(ref _received);
        Dispatch(parts[0], key);
        return true;
    }

    /// <summary>Tells every subscriber of every topic to drop everything (the listener reconnected and may have missed some).</summary>
    internal void DeliverAll()
    {
        foreach (var topic in _subscribers.Keys)
        {
            Dispatch(topic, null);
        }
    }

    private void Dispatch(string topic, Guid? key)
    {
        if (!_subscribers.TryGetValue(topic, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Items)
        {
            try
            {
                handler(key);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Cache invalidation handler for {Topic} failed", topic);
            }
        }
    }

    private void Unsubscribe(string topic, Action<Guid?> handler)
    {
        while (_subscribers.TryGetValue(topic, out var current))
        {
            if (_subscribers.TryUpdate(topic, current.Remove(handler), current))
            {
                return;
            }
        }
    }

    private sealed record ImmutableHandlers(Action<Guid?>[] Items)
    {
        public ImmutableHandlers Add(Action<Guid?> handler) => new([.. Items, handler]);

        public ImmutableHandlers Remove(Action<Guid?> handler) => new(Items.Where(h => h != handler).ToArray());
    }

    private sealed class Subscription(CacheInvalidationBus bus, string topic, Action<Guid?> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Unsubscribe(topic, handler);
            }
        }
    }
}

/// <summary>The caches invalidated across instances, one topic each.</summary>
public static class CacheTopics
{
    /// <summary><c>BusinessProfileCache</c>: a tenant's facts (hours, services, persona…); key: tenant id.</summary>
    public const string BusinessProfile = "business-profile";

    /// <summary>The knowledge base's per-tenant chunk vectors (<c>TenantVectorCache</c>); key: tenant id.</summary>
    public const string KnowledgeVectors = "knowledge-vectors";

    /// <summary>The knowledge base's per-tenant word statistics (<c>TenantLexiconCache</c>); key: tenant id.</summary>
    public const string KnowledgeLexicon = "knowledge-lexicon";

    /// <summary>The platform's language-model settings; no key (all).</summary>
    public const string LanguageModelSettings = "llm-settings";
}
