namespace Portal.Voice.SpeechToText;

/// <summary>
/// Implemented by a recognition stream that can run behind real time (a batch recognizer such as pocketsphinx decodes
/// each utterance after it ended, and on a busy machine that takes seconds): says whether caller speech it already
/// received is still waiting for its final transcript. The call's endpointing waits for that transcript (bounded by
/// <see cref="Pipeline.CallerTurnOptions.MaxRecognizerWaitMs"/>) instead of deciding the end of the turn by audio time alone.
/// </summary>
public interface ISpeechBacklog
{
    /// <summary>True while received speech has no final transcript yet (an utterance in progress, or cut and queued or decoding). Safe to read from any thread.</summary>
    bool SpeechPending { get; }
}
