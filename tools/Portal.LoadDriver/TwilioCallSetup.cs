using Portal.Fakes.Twilio;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Xml;
using System.Xml.Linq;
using Portal.Voice.Twilio;

namespace Portal.LoadDriver;

/// <summary>The TwiML's <c>&lt;Connect&gt;&lt;Stream&gt;</c>: where to open the Media Stream and its custom parameters.</summary>
/// <param name="StreamUrl">The <c>url</c> attribute as written (<c>wss://…</c>), which the upgrade's signature covers.</param>
/// <param name="Parameters">The <c>&lt;Parameter name value&gt;</c> pairs, sent back in <c>start.customParameters</c>.</param>
public sealed record StreamInstruction(string StreamUrl, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// The HTTP side of an inbound call as Twilio plays it: the signed voice webhook
/// (https://www.twilio.com/docs/usage/webhooks/voice-webhooks, signature per
/// https://www.twilio.com/docs/usage/security#validating-requests), the TwiML answer
/// (https://www.twilio.com/docs/voice/twiml/stream), the Media Streams WebSocket upgrade signed over the <c>wss://</c>
/// stream URL, and the final <c>completed</c> status callback
/// (https://www.twilio.com/docs/voice/api/call-resource#statuscallback).
/// </summary>
public static class TwilioCallSetup
{
    /// <summary>POSTs the signed voice webhook and reads the <c>&lt;Stream&gt;</c> from the TwiML.</summary>
    /// <param name="http">Client for the webhook (its timeout applies).</param>
    /// <param name="options">The run.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="from">Caller number, E.164.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream to open, or the reason there is none (HTTP status, not TwiML, no <c>&lt;Connect&gt;&lt;Stream&gt;</c>).</returns>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TaskCanceledException">The webhook timed out or the run was cancelled.</exception>
    public static async Task<(StreamInstruction? Stream, string? Error)> PostVoiceWebhookAsync(
        HttpClient http, LoadOptions options, string callSid, string from, CancellationToken cancellationToken)
    {
        string url = options.BaseUrl.GetLeftPart(UriPartial.Authority) + "/twilio/voice";
        var form = new List<KeyValuePair<string, string?>>
        {
            new("AccountSid", options.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("CallSid", callSid),
            new("CallStatus", "ringing"),
            new("Called", options.To),
            new("Caller", from),
            new("Direction", "inbound"),
            new("From", from),
            new("To", options.To),
        };
        string twiml;
        using (var request = Signed(url, form, options.AuthToken))
        using (var response = await http.SendAsync(request, cancellationToken))
        {
            twiml = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"voice webhook answered HTTP {(int)response.StatusCode}");
            }
        }

        XDocument document;
        try
        {
            document = XDocument.Parse(twiml);
        }
        catch (XmlException ex)
        {
            return (null, "the voice webhook did not answer TwiML: " + ex.Message);
        }

        var stream = document.Descendants("Connect").Elements("Stream").FirstOrDefault();
        if (stream?.Attribute("url")?.Value is not { Length: > 0 } streamUrl)
        {
            string said = string.Join(" ", document.Descendants("Say").Select(s => s.Value));
            return (null, "no <Connect><Stream> in the TwiML" + (said.Length > 0 ? ": the caller was told \"" + said + "\"" : string.Empty));
        }

        var parameters = stream.Elements("Parameter")
            .ToDictionary(p => (string?)p.Attribute("name") ?? string.Empty, p => (string?)p.Attribute("value") ?? string.Empty, StringComparer.Ordinal);
        return (new StreamInstruction(streamUrl, parameters), null);
    }

    /// <summary>
    /// Opens the Media Stream WebSocket like Twilio: to the TwiML's URL (<c>ws://</c> instead of <c>wss://</c> when the
    /// Portal under test is plain HTTP), with <c>X-Twilio-Signature</c> computed over the <c>wss://</c> URL as written.
    /// </summary>
    /// <param name="options">The run.</param>
    /// <param name="stream">The TwiML's stream.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    /// <returns>The open socket; the caller owns it.</returns>
    /// <exception cref="WebSocketException">The upgrade was refused or the server could not be reached.</exception>
    public static async Task<ClientWebSocket> ConnectAsync(LoadOptions options, StreamInstruction stream, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(new Uri(stream.StreamUrl)) { Scheme = options.BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.SetRequestHeader(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(options.AuthToken, stream.StreamUrl));
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>POSTs the signed final status callback (<c>CallStatus=completed</c>) for an ended call.</summary>
    /// <param name="http">Client (its timeout applies).</param>
    /// <param name="options">The run.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="from">Caller number.</param>
    /// <param name="durationSeconds">Call length in whole seconds.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Elapsed ms, or the reason it failed.</returns>
    public static async Task<(double? Ms, string? Error)> PostCompletedAsync(
        HttpClient http, LoadOptions options, string callSid, string from, int durationSeconds, CancellationToken cancellationToken)
    {
        string url = options.BaseUrl.GetLeftPart(UriPartial.Authority) + "/twilio/status";
        var form = new List<KeyValuePair<string, string?>>
        {
            new("AccountSid", options.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("CallDuration", durationSeconds.ToString(CultureInfo.InvariantCulture)),
            new("CallSid", callSid),
            new("CallStatus", "completed"),
            new("Direction", "inbound"),
            new("From", from),
            new("SequenceNumber", "0"),
            new("To", options.To),
        };
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = Signed(url, form, options.AuthToken);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                ? (watch.Elapsed.TotalMilliseconds, null)
                : (null, $"status callback answered HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (null, "status callback failed: " + ex.Message);
        }
    }

    private static HttpRequestMessage Signed(string url, List<KeyValuePair<string, string?>> form, string authToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(form.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value ?? string.Empty))),
        };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(authToken, url, form));
        return request;
    }
}
