using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Tenancy;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Tenancy;

namespace Portal.Jobs.Brain;

/// <summary>
/// The post-call analysis (<see cref="ConversationInsightService"/>) of every ended call and chat. A conversation ends on
/// six paths (the caller hangs up, the agent says goodbye, a stream fails, the orphaned-calls and idle-chats jobs, a
/// status callback); rather than hook each one, this job runs every minute and analyses the ended conversations that
/// have no insight yet, oldest first, each in its own tenant scope. Safe to run twice and beside itself: the analysis
/// is idempotent and one insight per conversation is enforced by a unique index.
/// </summary>
public sealed class AnalyzeConversationsJob(IServiceScopeFactory scopes, ILogger<AnalyzeConversationsJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "brain:analyze-ended";

    /// <summary>Most conversations analysed in one run (the next run takes the rest).</summary>
    public const int BatchSize = 200;

    /// <summary>Analyses up to <see cref="BatchSize"/> ended conversations without an insight; returns how many were analysed.</summary>
    [AutomaticRetry(Attempts = 2)] // a transient database error; each conversation's analysis is idempotent
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(Guid TenantId, Guid ConversationId)> pending;
        using (var scope = scopes.CreateScope())
        {
            pending = await scope.ServiceProvider.GetRequiredService<ConversationInsightService>().PendingAsync(BatchSize, cancellationToken);
        }

        int analysed = 0;
        foreach (var (tenantId, conversationId) in pending)
        {
            if (await RunOneAsync(tenantId, conversationId, cancellationToken))
            {
                analysed++;
            }
        }

        if (analysed > 0)
        {
            logger.LogInformation("Analysed {Count} ended conversations", analysed);
        }

        return analysed;
    }

    /// <summary>Analyses one conversation of <paramref name="tenantId"/>; false when it is unknown or still open.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error; idempotent
    public async Task<bool> RunOneAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        try
        {
            return await scope.ServiceProvider.GetRequiredService<ConversationInsightService>().AnalyzeAsync(conversationId, cancellationToken) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad conversation must not hold back the others; it is retried on the next run.
            logger.LogError(ex, "Analysis of conversation {ConversationId} failed", conversationId);
            return false;
        }
    }
}
