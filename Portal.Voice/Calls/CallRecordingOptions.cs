namespace Portal.Voice.Calls;

/// <summary>Where <see cref="CallRecordingStore"/> keeps voice messages; bound from the <c>Telephony</c> section (same key as before the move).</summary>
public sealed class CallRecordingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Telephony";

    /// <summary>
    /// Folder where voice messages recorded on calls are written as WAV files (one per recording, named by its id).
    /// Null: the audio is stored in the database (<c>call_recordings.data</c>).
    /// </summary>
    public string? RecordingsFolder { get; set; }
}
