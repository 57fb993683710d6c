using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>
/// Fires <see cref="ChatHandover.HandoverTimedOutAsync"/> when a hand-over's wait is over, in a new scope for the
/// conversation's tenant. Timers come from <see cref="TimeProvider"/> (testable).
/// </summary>
/// <remarks>REVIEW: in-process timers; a restart during the wait loses the "nobody is available" notice (the request stays
/// visible in the Inbox). A recurring job scanning open requests would survive restarts.</remarks>
public sealed class HandoverTimer(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<HandoverTimer> logger)
{
    private readonly ConcurrentDictionary<(Guid, DateTimeOffset), ITimer> _timers = new();

    /// <summary>Schedules the check of <paramref name="conversationId"/>'s request made at <paramref name="requestedAt"/> after <paramref name="wait"/>.</summary>
    public void Schedule(Guid tenantId, Guid conversationId, DateTimeOffset requestedAt, TimeSpan wait)
    {
        var key = (conversationId, requestedAt);
        var timer = timeProvider.CreateTimer(_ => _ = FireAsync(tenantId, conversationId, requestedAt), null, wait, Timeout.InfiniteTimeSpan);
        if (!_timers.TryAdd(key, timer))
        {
            timer.Dispose();
        }
    }

    private async Task FireAsync(Guid tenantId, Guid conversationId, DateTimeOffset requestedAt)
    {
        if (_timers.TryRemove((conversationId, requestedAt), out var timer))
        {
            await timer.DisposeAsync();
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            await scope.ServiceProvider.GetRequiredService<ChatHandover>().HandoverTimedOutAsync(conversationId, requestedAt, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Conversations.ConversationEndedException or KeyNotFoundException)
        {
            logger.LogInformation("Hand-over of {ConversationId} timed out after the conversation ended", conversationId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Hand-over timeout of {ConversationId} failed", conversationId);
        }
    }
}
