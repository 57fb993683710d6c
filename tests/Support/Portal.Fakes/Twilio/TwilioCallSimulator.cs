using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Xml.Linq;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Fakes.Twilio;

/// <summary>
/// Plays Twilio against a running Portal for one inbound call: signs and POSTs the voice webhook exactly like Twilio
/// (form fields <c>AccountSid</c>, <c>ApiVersion</c>, <c>CallSid</c>, <c>CallStatus</c>, <c>Called</c>, <c>Caller</c>,
/// <c>Direction</c>, <c>From</c>, <c>To</c>; <c>X-Twilio-Signature</c> per
/// https://www.twilio.com/docs/usage/security#validating-requests), reads the TwiML, opens the
/// <c>&lt;Connect&gt;&lt;Stream&gt;</c> WebSocket (its upgrade signed over the <c>wss://</c> stream URL, docs/protocols/twilio.md)
/// and speaks Media Streams (https://www.twilio.com/docs/voice/media-streams/websocket-messages): <c>connected</c>,
/// <c>start</c> with the <c>&lt;Parameter&gt;</c>s, a continuous 20 ms <c>media</c> stream paced in real time (the
/// caller's espeak-ng speech as 8 kHz μ-law, silence 0xFF otherwise), <c>dtmf</c>, and <c>stop</c>. Like Twilio it plays
/// the agent's audio on a real-time clock, echoes each <c>mark</c> when playback reaches it, and on <c>clear</c> drops
/// the buffer and echoes every pending mark at once. The caller waits for the agent to finish (no pending mark, playback
/// done, quiet for <see cref="SimulatedCallOptions.AgentQuietMs"/>) before each step and measures the latency from the
/// end of its audio to the agent's first media frame.
/// </summary>
public static class TwilioCallSimulator
{
    /// <summary>Places one call.</summary>
    /// <param name="options">The call.</param>
    /// <param name="http">Client for the webhook.</param>
    /// <param name="cancellationToken">Stops the call (the socket is aborted).</param>
    /// <returns>What happened; <see cref="SimulatedCallResult.Error"/> says why a call did not run fully.</returns>
    public static async Task<SimulatedCallResult> RunAsync(SimulatedCallOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        string callSid = options.CallSid ?? "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string url = options.BaseUrl.GetLeftPart(UriPartial.Authority) + options.VoicePath;
        var form = new List<KeyValuePair<string, string?>>
        {
            new("AccountSid", options.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("CallSid", callSid),
            new("CallStatus", "ringing"),
            new("Called", options.To),
            new("Caller", options.From),
            new("Direction", "inbound"),
            new("From", options.From),
            new("To", options.To),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value ?? string.Empty))) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(options.AuthToken, url, form));
        using var response = await http.SendAsync(request, cancellationToken);
        string twiml = await response.Content.ReadAsStringAsync(cancellationToken);
        var empty = new Dictionary<string, string>();
        if (!response.IsSuccessStatusCode)
        {
            return Failed(callSid, twiml, empty, $"voice webhook answered HTTP {(int)response.StatusCode}");
        }

        XElement? stream;
        try
        {
            stream = XDocument.Parse(twiml).Descendants("Connect").Elements("Stream").FirstOrDefault();
        }
        catch (System.Xml.XmlException ex)
        {
            return Failed(callSid, twiml, empty, "the webhook did not answer TwiML: " + ex.Message);
        }

        if (stream?.Attribute("url")?.Value is not { Length: > 0 } streamUrl)
        {
            string said = string.Join(" ", XDocument.Parse(twiml).Descendants("Say").Select(s => s.Value));
            return Failed(callSid, twiml, empty, "no <Connect><Stream> in the TwiML" + (said.Length > 0 ? ": the call was told \"" + said + "\"" : string.Empty));
        }

        var parameters = stream.Elements("Parameter").ToDictionary(p => (string?)p.Attribute("name") ?? string.Empty, p => (string?)p.Attribute("value") ?? string.Empty, StringComparer.Ordinal);
        var socketUri = new UriBuilder(new Uri(streamUrl)) { Scheme = options.BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        WebSocket socket;
        try
        {
            // Like Twilio, sign the upgrade over the wss:// URL the TwiML named, with no parameters (docs/protocols/twilio.md).
            string? upgradeSignature = options.SignMediaStreamUpgrade ? TwilioRequestSigner.Sign(options.AuthToken, streamUrl) : null;
            socket = options.ConnectWebSocket is { } connect ? await connect(socketUri, cancellationToken) : await ConnectAsync(socketUri, upgradeSignature, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
        {
            return Failed(callSid, twiml, parameters, $"could not open {socketUri}: {ex.Message}");
        }

        using (socket)
        {
            using var session = new TwilioMediaSession(socket, options, callSid);
            return await session.RunAsync(twiml, parameters, cancellationToken);
        }
    }

    /// <summary>Percentile of <paramref name="values"/> (nearest rank), or null when empty.</summary>
    /// <param name="values">Samples.</param>
    /// <param name="percentile">0..100.</param>
    /// <returns>The value at that rank.</returns>
    public static double? Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static async Task<WebSocket> ConnectAsync(Uri uri, string? signature, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (signature is not null)
            {
                socket.Options.SetRequestHeader(TwilioSignature.HeaderName, signature);
            }

            await socket.ConnectAsync(uri, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SimulatedCallResult Failed(string callSid, string twiml, IReadOnlyDictionary<string, string> parameters, string error) =>
        new(callSid, twiml, parameters, null, [], [], [], 0, 0, 0, error);
}
