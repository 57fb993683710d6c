namespace Portal.Fakes.Twilio;

/// <summary>A number the fake account owns: SID, E.164 and its webhook URLs (mutable, as the console and updates change them).</summary>
internal sealed class TwilioOwnedNumber(string sid, string phoneNumber, string? voiceUrl, string? statusCallback)
{
    public string Sid { get; } = sid;
    public string PhoneNumber { get; } = phoneNumber;
    public string? VoiceUrl { get; set; } = voiceUrl;
    public string? StatusCallback { get; set; } = statusCallback;
}
