using System.Text;
using System.Xml;
using System.Xml.Linq;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Stream = Twilio.TwiML.Voice.Stream;
using SdkHttpMethod = Twilio.Http.HttpMethod;

namespace Portal.Voice.Twilio;

/// <summary>
/// The TwiML documents Portal answers with, built by the Twilio SDK's <see cref="VoiceResponse"/>
/// (https://www.twilio.com/docs/voice/twiml). This class adds only what the SDK does not check: the
/// <c>&lt;Stream&gt;</c> URL must be <c>wss://</c> without a query string and each custom parameter's name and value
/// must total under <see cref="MaxStreamParameterLength"/> characters
/// (https://www.twilio.com/docs/voice/twiml/stream#custom-parameters); text is stripped of characters XML cannot carry.
/// Every method returns the document as compact UTF-8 XML with its declaration.
/// </summary>
public static class PortalTwiml
{
    /// <summary>Media type of a TwiML answer.</summary>
    public const string ContentType = "text/xml";

    /// <summary>Limit on one <c>&lt;Parameter&gt;</c>'s name plus value, in characters (Twilio: "under 500").</summary>
    public const int MaxStreamParameterLength = 500;

    /// <summary>Longest text one <c>&lt;Say&gt;</c> accepts (Twilio: 4,096 characters).</summary>
    public const int MaxSayLength = 4096;

    /// <summary><c>&lt;Connect&gt;&lt;Stream url&gt;</c> with custom parameters: a bidirectional Media Stream for the call.</summary>
    /// <param name="url">Absolute <c>wss://</c> URL without a query string.</param>
    /// <param name="parameters">Custom parameters Twilio repeats in the stream's <c>start</c> message.</param>
    /// <returns>The TwiML document.</returns>
    /// <exception cref="ArgumentException">A non-wss URL, a query string, an unnamed or too long parameter.</exception>
    public static string ConnectStream(string url, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "wss")
        {
            throw new ArgumentException("<Stream url> must be an absolute wss:// URL.", nameof(url));
        }

        if (url.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("<Stream url> must not carry a query string; pass values as parameters.", nameof(url));
        }

        var stream = new Stream(url: url);
        foreach (var (key, value) in parameters ?? [])
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A stream parameter needs a name.", nameof(parameters));
            }

            if (key.Length + (value?.Length ?? 0) >= MaxStreamParameterLength)
            {
                throw new ArgumentException($"Stream parameter '{key}': name and value must total under {MaxStreamParameterLength} characters.", nameof(parameters));
            }

            stream.Parameter(name: key, value: Clean(value ?? ""));
        }

        return Render(new VoiceResponse().Append(new Connect().Append(stream)));
    }

    /// <summary><c>&lt;Say&gt;</c> then <c>&lt;Hangup&gt;</c>.</summary>
    /// <param name="text">What the caller hears (at most <see cref="MaxSayLength"/> characters).</param>
    /// <returns>The TwiML document.</returns>
    public static string SayThenHangup(string text) => Render(new VoiceResponse().Say(Said(text)).Hangup());

    /// <summary><c>&lt;Say&gt;</c> (when <paramref name="text"/> is given) then <c>&lt;Dial&gt;&lt;Number&gt;</c>.</summary>
    /// <param name="text">Said first, or null.</param>
    /// <param name="number">E.164 number to connect the caller to.</param>
    /// <param name="timeoutSeconds">Seconds to let it ring, 5–600.</param>
    /// <returns>The TwiML document.</returns>
    /// <exception cref="ArgumentException">No number, or a timeout outside 5–600.</exception>
    public static string SayThenDial(string? text, string number, int timeoutSeconds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutSeconds, 5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeoutSeconds, 600);
        var response = new VoiceResponse();
        if (text is not null)
        {
            response.Say(Said(text));
        }

        return Render(response.Append(new Dial(timeout: timeoutSeconds).Number(Clean(number.Trim()))));
    }

    /// <summary>
    /// A voicemail: <c>&lt;Say&gt;</c>, then <c>&lt;Record&gt;</c> with a beep whose finished recording Twilio reports to
    /// <paramref name="recordingStatusCallback"/> (POST, https://www.twilio.com/docs/voice/twiml/record#recordingstatuscallback),
    /// then a goodbye if the caller stays silent.
    /// </summary>
    /// <param name="text">The apology and invitation to leave a message.</param>
    /// <param name="recordingStatusCallback">Absolute URL Twilio posts the recording's details to.</param>
    /// <param name="maxLengthSeconds">Longest message, 1–14,400 seconds.</param>
    /// <param name="goodbye">Said after the recording ends.</param>
    /// <returns>The TwiML document.</returns>
    public static string SayThenRecord(string text, Uri recordingStatusCallback, int maxLengthSeconds, string goodbye)
    {
        ArgumentNullException.ThrowIfNull(recordingStatusCallback);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLengthSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLengthSeconds, 14400);
        var record = new Record(
            maxLength: maxLengthSeconds,
            playBeep: true,
            recordingStatusCallback: recordingStatusCallback,
            recordingStatusCallbackMethod: SdkHttpMethod.Post,
            recordingStatusCallbackEvent: [Record.RecordingEventEnum.Completed]);
        return Render(new VoiceResponse().Say(Said(text)).Append(record).Say(Said(goodbye)).Hangup());
    }

    /// <summary>
    /// A voicemail whose recording Twilio posts to <paramref name="action"/> when the caller finishes (the call then
    /// follows the TwiML that endpoint returns; https://www.twilio.com/docs/voice/twiml/record#attributes-action):
    /// <c>&lt;Say&gt;</c>, then <c>&lt;Record&gt;</c> with a beep.
    /// </summary>
    /// <param name="text">The message and invitation to leave a voicemail.</param>
    /// <param name="action">Path or absolute URL Twilio posts the recording to.</param>
    /// <param name="maxLengthSeconds">Longest message, 1–14,400 seconds.</param>
    /// <returns>The TwiML document.</returns>
    public static string SayThenRecordTo(string text, string action, int maxLengthSeconds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLengthSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLengthSeconds, 14400);
        var record = new Record(action: new Uri(action, UriKind.RelativeOrAbsolute), method: SdkHttpMethod.Post, maxLength: maxLengthSeconds, playBeep: true);
        return Render(new VoiceResponse().Say(Said(text)).Append(record));
    }

    private static string Said(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxSayLength, nameof(text));
        return Clean(text);
    }

    /// <summary>Drops characters XML 1.0 cannot carry (controls, lone surrogates) instead of failing the whole answer.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i++, 2);
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static string Render(VoiceResponse response) => response.ToString(SaveOptions.DisableFormatting);
}
