using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Entities;

namespace Portal.Domain.Conversations;

/// <summary>Opening conversations: test, chat and provider calls, each stored with the greeting as its first agent turn.</summary>
public sealed partial class ConversationService
{
    /// <summary>Opens a conversation with the tenant's agent on <paramref name="channel"/> (a test one on <see cref="Channel.Test"/>). Throws <see cref="InvalidOperationException"/> when there is no current tenant or no agent.</summary>
    public Task<StartedConversation> StartAsync(Channel channel, string? callerPhone, CancellationToken cancellationToken) =>
        StartCoreAsync(channel, callerPhone, null, c => c.IsTest = channel == Channel.Test, cancellationToken);

    /// <summary>
    /// Opens a test conversation (<see cref="Conversation.IsTest"/>): the owner trying the agent from the portal, by chat
    /// (<see cref="Channel.Test"/>) or by a browser call (<see cref="Channel.Voice"/>, so the agent talks as on the phone).
    /// Throws <see cref="InvalidOperationException"/> when there is no current tenant or no agent.
    /// </summary>
    public Task<StartedConversation> StartTestAsync(Channel channel, CancellationToken cancellationToken) =>
        StartCoreAsync(channel, null, null, c => c.IsTest = true, cancellationToken);

    /// <summary>
    /// The greeting the tenant's agent would open a conversation with, without storing anything: the console shows it and
    /// opens the conversation with the first message. Throws <see cref="InvalidOperationException"/> when there is no
    /// current tenant or no agent.
    /// </summary>
    public async Task<string> GreetingAsync(CancellationToken cancellationToken)
    {
        _ = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.AsNoTracking().OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("This business has no agent yet.");
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(cancellationToken);
        return Greeting(persona, tenant);
    }

    private async Task<StartedConversation> StartCoreAsync(Channel channel, string? callerPhone, Guid? agentPersonaId, Action<Conversation>? configure, CancellationToken cancellationToken, bool greetingPending = false)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var personas = agentPersonaId is { } wanted ? db.AgentPersonas.Where(a => a.Id == wanted) : db.AgentPersonas;
        var persona = await personas.OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("This business has no agent yet.");
        var tenant = await db.Tenants.FirstAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var state = new DialogueState();
        var conversation = new Conversation
        {
            TenantId = tenantId,
            AgentPersonaId = persona.Id,
            Channel = channel,
            StartedAt = now,
            CustomerPhone = callerPhone,
            TurnCount = 1,
        };
        configure?.Invoke(conversation);
        var greeting = await IdentifyCallerAsync(tenantId, conversation, state, Greeting(persona, tenant), cancellationToken);
        conversation.State = JsonSerializer.Serialize(state, StateJson);
        conversation.Turns.Add(new Turn { TenantId = tenantId, Sequence = 0, Speaker = Speaker.Agent, Text = greeting, StartedAt = now, CompletedAt = now, LatencyMs = 0, PlaybackPending = greetingPending });
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(cancellationToken);
        return new StartedConversation(conversation.Id, greeting);
    }

    /// <summary>The persona's greeting with <c>{businessName}</c> and <c>{agentName}</c> filled in.</summary>
    public static string Greeting(AgentPersona persona, Tenant tenant)
    {
        var greeting = string.IsNullOrWhiteSpace(persona.Greeting)
            ? $"Thanks for contacting {{businessName}}, this is {{agentName}}. How can I help you today?"
            : persona.Greeting;
        return greeting.Replace("{businessName}", tenant.Name, StringComparison.OrdinalIgnoreCase)
            .Replace("{agentName}", persona.Name, StringComparison.OrdinalIgnoreCase);
    }
}
