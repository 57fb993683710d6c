using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes.Twilio;
using Portal.Telephony;

namespace Portal.Telephony.Tests;

/// <summary>A <see cref="TwilioTelephonyProvider"/> pointed at a fake Twilio server, over the pipeline AddTwilioTelephony builds.</summary>
internal static class TwilioTestProvider
{
    internal static readonly Uri VoiceUrl = new("https://portal.example.com/twilio/voice/incoming");
    internal static readonly Uri StatusUrl = new("https://portal.example.com/twilio/voice/status");

    internal static TwilioTelephonyProvider Create(Uri baseUrl, Action<TwilioOptions>? configure = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = FakeTwilioServer.AccountSid,
            AuthToken = FakeTwilioServer.AuthToken,
            BaseUrl = baseUrl,
            RequestTimeout = TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetries = 3,
        };
        configure?.Invoke(options);
        // The SDK over the same pipeline AddTwilioTelephony builds: the transport handler above the socket handler.
        var transport = new TwilioTransportHandler(Options.Create(options), time ?? TimeProvider.System, NullLogger<TwilioTransportHandler>.Instance)
        {
            InnerHandler = handler ?? new SocketsHttpHandler(),
        };
        var http = new HttpClient(transport, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new TwilioTelephonyProvider(http, Options.Create(options), NullLogger<TwilioTelephonyProvider>.Instance);
    }
}
