using System.Globalization;
using System.Text;
using System.Xml;

namespace Portal.Voice.Twilio;

/// <summary>
/// Builds a TwiML <c>&lt;Response&gt;</c> document for Twilio voice webhooks. Text that reaches the
/// caller (greetings, owner-entered names, model output) is untrusted, so every value goes through an
/// <see cref="XmlWriter"/>: markup characters are escaped and characters XML 1.0 forbids are dropped.
/// </summary>
/// <remarks>
/// Verbs and attributes per https://www.twilio.com/docs/voice/twiml (Say, Hangup, Pause, Dial/Number,
/// Record, Gather) and https://www.twilio.com/docs/voice/twiml/stream (Connect/Stream/Parameter);
/// see docs protocols.md §2.5–2.6. Serve the result with <see cref="ContentType"/>. Output is compact
/// (no indentation) under <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;</c>. Verbs run in the order added.
/// Not thread-safe; build one per request.
/// </remarks>
public sealed class TwimlResponse
{
    /// <summary>Content type to serve TwiML with (the Twilio samples use <c>text/xml</c>).</summary>
    public const string ContentType = "text/xml";

    /// <summary>Upper bound (exclusive) on the combined length of a <c>&lt;Parameter&gt;</c> name and value, in characters.</summary>
    public const int MaxStreamParameterLength = 500;

    private static readonly XmlWriterSettings Settings = new()
    {
        OmitXmlDeclaration = false,
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly List<Action<XmlWriter>> _verbs = [];

    /// <summary>Number of verbs added so far.</summary>
    public int Count => _verbs.Count;

    /// <summary>Adds <c>&lt;Say voice language&gt;text&lt;/Say&gt;</c>: text-to-speech played to the caller.</summary>
    /// <param name="text">Text to speak (escaped; XML-invalid characters removed). At most 4096 characters per Twilio.</param>
    /// <param name="voice">Optional voice, e.g. <c>Polly.Joanna</c> or <c>alice</c>.</param>
    /// <param name="language">Optional BCP 47 language, e.g. <c>en-US</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="text"/> is longer than 4096 characters.</exception>
    public TwimlResponse Say(string text, string? voice = null, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, 4096, nameof(text));
        _verbs.Add(w => WriteSay(w, text, voice, language));
        return this;
    }

    /// <summary>Adds <c>&lt;Pause length/&gt;</c>: silence.</summary>
    /// <param name="lengthSeconds">Pause in seconds (1..600).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lengthSeconds"/> is outside 1..600.</exception>
    public TwimlResponse Pause(int lengthSeconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lengthSeconds, 600);
        _verbs.Add(w =>
        {
            w.WriteStartElement("Pause");
            WriteInt(w, "length", lengthSeconds);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Adds <c>&lt;Hangup/&gt;</c>: ends the call.</summary>
    /// <returns>This builder.</returns>
    public TwimlResponse Hangup()
    {
        _verbs.Add(static w =>
        {
            w.WriteStartElement("Hangup");
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>
    /// Adds <c>&lt;Connect&gt;&lt;Stream url name statusCallback&gt;&lt;Parameter name value/&gt;…&lt;/Stream&gt;&lt;/Connect&gt;</c>:
    /// a bidirectional Media Stream. It blocks: verbs after it run only once our server closes the WebSocket.
    /// </summary>
    /// <param name="url">Absolute <c>wss://</c> URL (or a relative path), with no query string: Twilio supports only wss and takes values through parameters.</param>
    /// <param name="parameters">Custom parameters delivered in <c>start.customParameters</c>; each name + value must total under 500 characters.</param>
    /// <param name="name">Optional stream name, unique per call.</param>
    /// <param name="statusCallback">Optional absolute URL receiving <c>stream-started</c>/<c>stream-stopped</c>/<c>stream-error</c> (POST).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The URL is empty, not wss, or has a query string; a parameter name is empty or a name/value pair is 500 characters or longer.</exception>
    public TwimlResponse ConnectStream(string url, IEnumerable<KeyValuePair<string, string>>? parameters = null, string? name = null, string? statusCallback = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0 && !url.AsSpan(0, schemeEnd).Equals("wss", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("<Stream url> supports only wss://.", nameof(url));
        }

        if (url.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("<Stream url> must not carry a query string; pass values as parameters.", nameof(url));
        }

        KeyValuePair<string, string>[] list = parameters?.ToArray() ?? [];
        foreach ((string key, string value) in list)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A stream parameter needs a name.", nameof(parameters));
            }

            if (key.Length + (value?.Length ?? 0) >= MaxStreamParameterLength)
            {
                throw new ArgumentException($"Stream parameter '{key}': name and value must total under {MaxStreamParameterLength} characters.", nameof(parameters));
            }
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Connect");
            w.WriteStartElement("Stream");
            WriteAttribute(w, "url", url);
            WriteAttribute(w, "name", name);
            WriteAttribute(w, "statusCallback", statusCallback);
            foreach ((string key, string value) in list)
            {
                w.WriteStartElement("Parameter");
                WriteAttribute(w, "name", key);
                WriteAttribute(w, "value", value ?? string.Empty);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Adds <c>&lt;Dial callerId timeout action&gt;&lt;Number&gt;number&lt;/Number&gt;&lt;/Dial&gt;</c>: forwards the call.</summary>
    /// <param name="number">E.164 number to dial, e.g. <c>+14155550100</c>.</param>
    /// <param name="callerId">Optional caller ID shown to the callee (a number we own or the caller's).</param>
    /// <param name="timeoutSeconds">Optional ring time in seconds (5..600; Twilio default 30).</param>
    /// <param name="action">Optional URL Twilio requests when the dialled call ends.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="number"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutSeconds"/> is outside 5..600.</exception>
    public TwimlResponse Dial(string number, string? callerId = null, int? timeoutSeconds = null, string? action = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        if (timeoutSeconds is { } t && (t < 5 || t > 600))
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), t, "Dial timeout must be 5..600 seconds.");
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Dial");
            WriteAttribute(w, "action", action);
            WriteAttribute(w, "callerId", callerId);
            WriteInt(w, "timeout", timeoutSeconds);
            w.WriteStartElement("Number");
            w.WriteString(Sanitize(number));
            w.WriteEndElement();
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Adds <c>&lt;Record maxLength action playBeep/&gt;</c>: records the caller (voicemail).</summary>
    /// <param name="maxLengthSeconds">Optional maximum recording length in seconds (1..14400; Twilio default 3600).</param>
    /// <param name="action">Optional URL Twilio requests with <c>RecordingUrl</c> when recording ends.</param>
    /// <param name="playBeep">Optional: play a beep before recording (Twilio default true).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLengthSeconds"/> is outside 1..14400.</exception>
    public TwimlResponse Record(int? maxLengthSeconds = null, string? action = null, bool? playBeep = null)
    {
        if (maxLengthSeconds is { } m && (m < 1 || m > 14400))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLengthSeconds), m, "Record maxLength must be 1..14400 seconds.");
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Record");
            WriteAttribute(w, "action", action);
            WriteInt(w, "maxLength", maxLengthSeconds);
            WriteAttribute(w, "playBeep", playBeep is null ? null : playBeep.Value ? "true" : "false");
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>
    /// Adds <c>&lt;Gather input="dtmf" action numDigits timeout&gt;&lt;Say&gt;prompt&lt;/Say&gt;&lt;/Gather&gt;</c>:
    /// collects key presses; Twilio posts <c>Digits</c> to <paramref name="action"/>.
    /// </summary>
    /// <param name="action">URL receiving the digits.</param>
    /// <param name="numDigits">Optional number of digits to collect (1..100).</param>
    /// <param name="timeoutSeconds">Optional seconds of silence before submitting (1..600; Twilio default 5).</param>
    /// <param name="prompt">Optional text spoken while waiting (nested <c>&lt;Say&gt;</c>).</param>
    /// <param name="voice">Voice for the prompt.</param>
    /// <param name="language">Language for the prompt.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="action"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numDigits"/> or <paramref name="timeoutSeconds"/> is out of range.</exception>
    public TwimlResponse Gather(string action, int? numDigits = null, int? timeoutSeconds = null, string? prompt = null, string? voice = null, string? language = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (numDigits is { } d && (d < 1 || d > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(numDigits), d, "numDigits must be 1..100.");
        }

        if (timeoutSeconds is { } t && (t < 1 || t > 600))
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), t, "Gather timeout must be 1..600 seconds.");
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Gather");
            WriteAttribute(w, "input", "dtmf");
            WriteAttribute(w, "action", action);
            WriteInt(w, "numDigits", numDigits);
            WriteInt(w, "timeout", timeoutSeconds);
            if (prompt is not null)
            {
                WriteSay(w, prompt, voice, language);
            }

            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Renders the document as a string.</summary>
    /// <returns>XML text beginning with <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;&lt;Response&gt;</c>.</returns>
    public override string ToString()
    {
        using var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, Settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("Response");
            foreach (Action<XmlWriter> verb in _verbs)
            {
                verb(writer);
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return text.ToString();
    }

    /// <summary>Renders the document as UTF-8 bytes (no byte-order mark), ready for a <c>text/xml</c> response body.</summary>
    /// <returns>UTF-8 XML.</returns>
    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToString());

    private static void WriteSay(XmlWriter w, string text, string? voice, string? language)
    {
        w.WriteStartElement("Say");
        WriteAttribute(w, "voice", voice);
        WriteAttribute(w, "language", language);
        w.WriteString(Sanitize(text));
        w.WriteEndElement();
    }

    private static void WriteAttribute(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteAttributeString(name, Sanitize(value));
        }
    }

    private static void WriteInt(XmlWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteAttributeString(name, v.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Removes characters XML 1.0 cannot carry (control characters, lone surrogates) instead of throwing mid-call.</summary>
    private static string Sanitize(string value)
    {
        int firstBad = IndexOfInvalid(value, 0);
        if (firstBad < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        int start = 0;
        while (firstBad >= 0)
        {
            builder.Append(value, start, firstBad - start);
            start = firstBad + 1;
            firstBad = IndexOfInvalid(value, start);
        }

        builder.Append(value, start, value.Length - start);
        return builder.ToString();
    }

    private static int IndexOfInvalid(string value, int from)
    {
        for (int i = from; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (!XmlConvert.IsXmlChar(c))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
