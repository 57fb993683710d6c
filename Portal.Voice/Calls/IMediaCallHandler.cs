using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>What a validated call needs to start speaking.</summary>
/// <param name="Greeting">The persona's greeting (already stored as the conversation's first turn).</param>
/// <param name="VoiceId">Text-to-speech voice id.</param>
public sealed record MediaCallSetup(string Greeting, string VoiceId);

/// <summary>
/// The application side of one phone call on a Media Stream: token check, turns, transfer and end. The web layer
/// implements it over a DI scope (tenant set from the validated token); tests fake it. Keeps
/// <see cref="MediaStreamSession"/> free of the database and of ASP.NET.
/// </summary>
public interface IMediaCallHandler
{
    /// <summary>Validates the <c>start</c> message (its <c>token</c> custom parameter). Null rejects the call.</summary>
    Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken);

    /// <summary>Processes one caller utterance as a stored conversation turn and returns the agent's reply text.</summary>
    Task<string> ProcessTurnAsync(string utterance, CancellationToken cancellationToken);

    /// <summary>Hands the call to a person. False when no transfer is possible (the session says so and goes on).</summary>
    Task<bool> TransferAsync(CancellationToken cancellationToken);

    /// <summary>The call ended (stop, socket closed, or hung up after silence). Called at most once, after a successful start.</summary>
    Task EndAsync(CancellationToken cancellationToken);
}
