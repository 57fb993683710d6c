using Microsoft.EntityFrameworkCore;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Tenancy;
using Portal.Voice.Calls;
using Portal.Voice.Telephony;
using Portal.Voice.Twilio;

namespace Portal.Web.Telephony;

/// <summary>
/// The web side of one Media Streams call, over the call's DI scope: checks the <c>token</c> parameter with
/// <see cref="MediaStreamTokens"/> (bound to the CallSid), sets the scope's tenant from the grant, and runs turns
/// and the end through <see cref="ConversationService"/> so keypad turns are stored like any other.
/// </summary>
public sealed class MediaCallHandler(
    MediaStreamTokens tokens,
    ITenantContext tenantContext,
    ConversationService conversations,
    IDbContextFactory<PortalDbContext> contextFactory,
    ITelephonyProvider telephony,
    ILogger<MediaCallHandler> logger) : IMediaCallHandler
{
    private MediaStreamGrant? _grant;

    /// <inheritdoc />
    public async Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken)
    {
        var grant = tokens.Validate(start.CustomParameters.GetValueOrDefault("token"));
        if (grant is null || !string.Equals(grant.CallSid, start.CallSid, StringComparison.Ordinal))
        {
            return null;
        }

        tenantContext.SetTenant(grant.TenantId);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var call = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == grant.ConversationId && c.EndedAt == null)
            .Select(c => new
            {
                Greeting = db.Turns.Where(t => t.ConversationId == c.Id && t.Sequence == 0).Select(t => t.Text).FirstOrDefault(),
                VoiceId = db.AgentPersonas.Where(a => a.Id == c.AgentPersonaId).Select(a => a.VoiceId).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (call is null)
        {
            logger.LogWarning("Media stream for {CallSid}: conversation {ConversationId} is missing or ended", grant.CallSid, grant.ConversationId);
            return null;
        }

        _grant = grant;
        return new MediaCallSetup(
            string.IsNullOrWhiteSpace(call.Greeting) ? "Thanks for calling." : call.Greeting,
            string.IsNullOrWhiteSpace(call.VoiceId) ? "en-us" : call.VoiceId);
    }

    /// <inheritdoc />
    public async Task<string> ProcessTurnAsync(string utterance, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        return (await conversations.ProcessTurnAsync(grant.ConversationId, utterance, cancellationToken)).Reply;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Redirects the live call to the persona's transfer number: the Calls API replaces the running
    /// TwiML (and so ends this stream) with <c>&lt;Dial&gt;</c> (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource).
    /// False when the persona has no transfer number or the provider refuses; the session then tells the caller.
    /// </remarks>
    public async Task<bool> TransferAsync(CancellationToken cancellationToken)
    {
        if (_grant is not { } grant)
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var transferNumber = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == grant.ConversationId)
            .Select(c => db.AgentPersonas.Where(a => a.Id == c.AgentPersonaId).Select(a => a.TransferNumber).FirstOrDefault())
            .FirstOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(transferNumber))
        {
            logger.LogInformation("Media stream for {CallSid}: transfer requested, no transfer number", grant.CallSid);
            return false;
        }

        try
        {
            var twiml = new TwimlResponse().Dial(transferNumber, timeoutSeconds: 25).ToString();
            await telephony.RedirectCallAsync(grant.CallSid, twiml, cancellationToken);
            logger.LogInformation("Media stream for {CallSid}: transferred to the business", grant.CallSid);
            return true;
        }
        catch (TelephonyException ex)
        {
            logger.LogWarning(ex, "Media stream for {CallSid}: transfer failed", grant.CallSid);
            return false;
        }
    }

    /// <inheritdoc />
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        if (_grant is { } grant)
        {
            await conversations.EndAsync(grant.ConversationId, cancellationToken);
        }
    }
}
