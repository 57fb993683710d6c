using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;
using Portal.Voice.SpeechToText.LanguageModels;
using Portal.Telephony;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// The web side of one Media Streams call, over the call's DI scope: checks the <c>token</c> parameter with
/// <see cref="MediaStreamTokens"/> (bound to the CallSid), sets the scope's tenant from the grant, and runs turns,
/// what-was-heard settlement, turn figures, transfers and the end through <see cref="ConversationService"/> and
/// <see cref="CallConversationService"/> so voice turns are stored like any other; claims the call for one stream (a second is refused); stores the consent answer and voice
/// messages on the call; picks the call's speech providers from its persona (<see cref="CallSpeechProviders"/>) and gives
/// the recognizer the business's vocabulary (services, people, name).
/// </summary>
public sealed class MediaCallHandler(
    MediaStreamTokens tokens,
    ITenantContext tenantContext,
    ConversationService conversations,
    CallConversationService calls,
    IDbContextFactory<PortalDbContext> contextFactory,
    ITelephonyProvider telephony,
    CallRecordingStore recordings,
    CallSpeechProviders speechProviders,
    BusinessProfileCache profiles,
    LiveCallHeartbeat heartbeat,
    ILogger<MediaCallHandler> logger) : IMediaCallHandler, IDisposable
{
    private MediaStreamGrant? _grant;
    private IDisposable? _live;

    /// <inheritdoc />
    public MediaTurnState LastTurn { get; private set; } = MediaTurnState.Idle;

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
        var call = await db.Conversations
            .Where(c => c.Id == grant.ConversationId && c.EndedAt == null)
            .Select(c => new
            {
                Conversation = c,
                Greeting = db.Turns.Where(t => t.ConversationId == c.Id && t.Sequence == 0).Select(t => t.Text).FirstOrDefault(),
                Persona = db.AgentPersonas.Where(a => a.Id == c.AgentPersonaId).Select(a => new { a.Id, a.VoiceId, a.RecordingEnabled, a.SpeechToTextProvider, a.TextToSpeechProvider }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (call is null)
        {
            logger.LogWarning("Media stream for {CallSid}: conversation {ConversationId} is missing or ended", grant.CallSid, grant.ConversationId);
            return null;
        }

        // One stream per call: a second stream for the same conversation (a replayed webhook, a duplicate connect) is
        // refused, so the caller never hears two agents at once. The claim is one conditional write.
        var claimed = await db.Conversations
            .Where(c => c.Id == grant.ConversationId && c.EndedAt == null && (c.StreamSid == null || c.StreamSid == start.StreamSid))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.StreamSid, start.StreamSid), cancellationToken);
        if (claimed == 0)
        {
            logger.LogWarning("Media stream {StreamSid} for {CallSid} refused: conversation {ConversationId} already has a stream", start.StreamSid, grant.CallSid, grant.ConversationId);
            return null;
        }

        var region = RecordingConsent.StateOf(call.Conversation.FromNumber ?? call.Conversation.CustomerPhone);
        if (region != call.Conversation.CallerRegion)
        {
            call.Conversation.CallerRegion = region;
            await db.SaveChangesAsync(cancellationToken);
        }

        _grant = grant;
        // From now on the call is proved live in the database, whichever instance the orphaned-calls job runs on.
        _live = heartbeat.Track(grant.ConversationId);
        var profile = await profiles.GetAsync(grant.TenantId, cancellationToken);
        speechProviders.Choose(call.Persona?.SpeechToTextProvider, call.Persona?.TextToSpeechProvider, grant.CallSid, SpeechVocabulary.FromProfile(profile));
        speechProviders.RecordFailuresWith((failure, ct) => calls.RecordSpeechFailureAsync(grant.ConversationId, failure.Describe(Conversation.SpeechFailureReasonMaxLength), ct));
        return new MediaCallSetup(
            string.IsNullOrWhiteSpace(call.Greeting) ? "Thanks for calling." : call.Greeting,
            string.IsNullOrWhiteSpace(call.Persona?.VoiceId) ? "en-us" : call.Persona.VoiceId)
        {
            AgentPersonaId = call.Persona?.Id,
            RecordingEnabled = call.Persona?.RecordingEnabled == true,
            ConsentRequired = region is not null && RecordingConsent.TwoPartyConsentStates.Contains(region),
            TenantId = grant.TenantId,
            ConversationId = grant.ConversationId,
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Streams <see cref="ConversationService.StreamTurnAsync"/>: the model path yields its text deltas as they arrive (the
    /// session cuts them into sentences for speech); the offline engine yields its reply in one piece. When the model fails
    /// mid-reply (a restart event), the part already spoken cannot be taken back, so a short bridge is said and the offline
    /// engine's reply follows.
    /// </remarks>
    public async IAsyncEnumerable<string> ProcessTurnAsync(string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        TurnResult? result = null;
        var spokenSinceRestart = false;
        var spokenAny = false;
        // Stored "not yet heard": the session settles the reply by its marks as it plays.
        await foreach (var item in conversations.StreamVoiceTurnAsync(grant.ConversationId, utterance, cancellationToken))
        {
            if (item.Restart)
            {
                if (spokenAny)
                {
                    yield return " Sorry, let me put that another way. ";
                }

                spokenSinceRestart = false;
            }

            if (!string.IsNullOrEmpty(item.Delta))
            {
                spokenSinceRestart = true;
                spokenAny = true;
                yield return item.Delta;
            }

            if (item.Result is { } final)
            {
                result = final;
            }
        }

        if (result is null)
        {
            throw new InvalidOperationException("The turn ended without a result.");
        }

        LastTurn = new MediaTurnState(
            result.Pending switch
            {
                PendingQuestion.Name => DictationSlot.Name,
                PendingQuestion.Phone => DictationSlot.Phone,
                PendingQuestion.MessageBody => DictationSlot.Message,
                _ => DictationSlot.None,
            },
            result.Ended,
            result.Flow == DialogueFlow.Message && result.Pending == PendingQuestion.MessageBody);
        if (!spokenSinceRestart)
        {
            yield return result.Reply;
        }
    }

    /// <inheritdoc />
    public async Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        await calls.TruncateLastAgentTurnAsync(grant.ConversationId, heardText, cancellationToken);
    }

    /// <inheritdoc />
    public async Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        await calls.RecordHeardAsync(grant.ConversationId, heardSoFar, complete, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The token is checked again (no database needed for that); a start without a valid one closes nothing.</remarks>
    public async Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken)
    {
        var grant = tokens.Validate(start.CustomParameters.GetValueOrDefault("token"));
        if (grant is null || !string.Equals(grant.CallSid, start.CallSid, StringComparison.Ordinal))
        {
            return;
        }

        tenantContext.SetTenant(grant.TenantId);
        await calls.EndUnexpectedlyAsync(grant.ConversationId, "Ended unexpectedly: the call could not be connected to the agent (" + reason + ").", cancellationToken);
        logger.LogWarning("Media stream for {CallSid}: conversation {ConversationId} closed after a failure at stream start ({Reason})", grant.CallSid, grant.ConversationId, reason);
    }

    /// <inheritdoc />
    public async Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        await calls.RecordVoiceMetricsAsync(grant.ConversationId, metrics, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.FirstAsync(c => c.Id == grant.ConversationId, cancellationToken);
        conversation.RecordingConsent = consent;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Media stream for {CallSid}: recording consent {Consent}", grant.CallSid, consent ? "given" : "declined");
    }

    /// <inheritdoc />
    public async Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken)
    {
        var grant = _grant ?? throw new InvalidOperationException("The call has not started.");
        await recordings.SaveAsync(grant.ConversationId, wav, durationMs, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Redirects the live call to the persona's transfer number: the Calls API replaces the running
    /// TwiML (and so ends this stream) with <c>&lt;Dial&gt;</c> (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource).
    /// False when the persona has no transfer number or the provider refuses; the session then tells the caller.
    /// </remarks>
    public async Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken)
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
            var twiml = PortalTwiml.SayThenDial(null, transferNumber, timeoutSeconds: 25);
            await telephony.RedirectCallAsync(grant.CallSid, twiml, cancellationToken);
            logger.LogInformation("Media stream for {CallSid}: transferred to the business", grant.CallSid);
        }
        catch (TelephonyException ex)
        {
            logger.LogWarning(ex, "Media stream for {CallSid}: transfer failed", grant.CallSid);
            return false;
        }

        // Not cancellable: the call has been handed over; the record must say so even if the stream ends this instant.
        await calls.RecordTransferAsync(grant.ConversationId, request, heardPrompt, CancellationToken.None);
        return true;
    }

    /// <inheritdoc />
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        if (_grant is { } grant)
        {
            await conversations.EndAsync(grant.ConversationId, cancellationToken);
        }

        _live?.Dispose();
    }

    /// <summary>Stops the call's heartbeat (the stream is gone, ended or not).</summary>
    public void Dispose() => _live?.Dispose();
}
