using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Fakes.Twilio;
using Portal.Telephony;

namespace Portal.Telephony.Tests;

public sealed class TwilioNumbersApiTests
{
    /// <summary>The per-attempt timeout in the timeout tests, on their fake clock.</summary>
    private static readonly TimeSpan Attempt = TimeSpan.FromMilliseconds(300);

    /// <summary>A bound on waiting for the fake or the provider: reached only if the code under test hangs.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Search_SendsFiltersAsQueryWithBasicAuth_AndMapsNumbers()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var numbers = await provider.SearchAvailableAsync(
            new AvailableNumberQuery("US", AreaCode: 808, Locality: "Hilo", Region: "HI", Contains: "925", Limit: 5),
            CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/AvailablePhoneNumbers/US/Local.json", request.Path);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["AreaCode"] = "808",
                ["Contains"] = "925",
                ["InLocality"] = "Hilo",
                ["InRegion"] = "HI",
                ["VoiceEnabled"] = "true",
                ["PageSize"] = "5",
            },
            request.Query);
        Assert.Equal(FakeTwilioServer.ExpectedAuthorization, request.Authorization);
        Assert.Equal("Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==", request.Authorization);
        Assert.Equal("application/json", request.Accept);

        Assert.Equal(2, numbers.Count);
        var first = numbers[0];
        Assert.Equal("+18089251571", first.PhoneNumber);
        Assert.Equal("(808) 925-1571", first.FriendlyName);
        Assert.Equal("Hilo", first.Locality);
        Assert.Equal("HI", first.Region);
        Assert.Equal("96720", first.PostalCode);
        Assert.Equal("US", first.IsoCountry);
        Assert.Equal(new NumberCapabilities(Voice: true, Sms: false, Mms: true, Fax: false), first.Capabilities);
    }

    [Fact]
    public async Task Search_WhenNothingMatches_ReturnsEmptyList()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var numbers = await provider.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 907), CancellationToken.None);

        Assert.Empty(numbers);
    }

    [Fact]
    public async Task Search_WithMalformedFilter_ThrowsBeforeAnyRequest()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        await Assert.ThrowsAsync<ArgumentException>(() => provider.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 99), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => provider.SearchAvailableAsync(new AvailableNumberQuery(Contains: "5&x=1"), CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Search_On429WithRetryAfter1_WaitsASecondThenSucceeds()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SearchRateLimitedTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var stopwatch = Stopwatch.StartNew();
        var numbers = await provider.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 808), CancellationToken.None);

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(990), $"retried after {stopwatch.Elapsed}, before Retry-After");
        Assert.Equal(3, numbers.Count);
        Assert.Equal(2, server.RequestsTo("GET", "/Local.json").Count);
    }

    [Fact]
    public async Task Search_On500Once_RetriesAndSucceeds()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SearchServerErrorTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var numbers = await provider.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 415), CancellationToken.None);

        Assert.Equal("+14155550123", Assert.Single(numbers).PhoneNumber);
        Assert.Equal(2, server.RequestsTo("GET", "/Local.json").Count);
    }

    [Fact]
    public async Task Search_On500Always_GivesUpAfterMaxRetriesWithServerError()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SearchServerErrorTimes = 100;
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.SearchAvailableAsync(new AvailableNumberQuery(), CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.ServerError, ex.Kind);
        Assert.Equal(20500, ex.ErrorCode);
        Assert.False(ex.OutcomeUnknown);
        Assert.Equal(3, server.RequestsTo("GET", "/Local.json").Count);
    }

    [Fact]
    public async Task Search_WhenAttemptTimesOut_RetriesWithAFreshTimeout()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SearchSlowTimes = 1;
        var time = new FakeTimeProvider();
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => (o.RequestTimeout, o.RetryBaseDelay) = (Attempt, TimeSpan.Zero), time: time);

        var search = provider.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 808), CancellationToken.None);
        await TimeOutFirstAttemptAsync(server, "GET", "/Local.json", time);
        var numbers = await search.WaitAsync(Bound);

        Assert.Equal(3, numbers.Count);
        Assert.Equal(2, server.RequestsTo("GET", "/Local.json").Count);
    }

    [Fact]
    public async Task Purchase_PostsExactFormFields_AndReturnsOwnedNumber()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var owned = await provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/IncomingPhoneNumbers.json", request.Path);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(FakeTwilioServer.ExpectedAuthorization, request.Authorization);
        // Field order carries no meaning in a form; the SDK sends its own.
        Assert.Equal(["PhoneNumber", "StatusCallback", "StatusCallbackMethod", "VoiceMethod", "VoiceUrl"], request.FormKeysInOrder.Order(StringComparer.Ordinal));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PhoneNumber"] = "+18089251571",
                ["VoiceUrl"] = "https://portal.example.com/twilio/voice/incoming",
                ["VoiceMethod"] = "POST",
                ["StatusCallback"] = "https://portal.example.com/twilio/voice/status",
                ["StatusCallbackMethod"] = "POST",
            },
            request.Form);

        Assert.Matches("^PN[0-9a-f]{32}$", owned.ProviderSid);
        Assert.Equal("+18089251571", owned.PhoneNumber);
        Assert.Equal(TwilioTestProvider.VoiceUrl, owned.VoiceUrl);
        Assert.Equal(TwilioTestProvider.StatusUrl, owned.StatusCallbackUrl);
        Assert.Equal(new NumberCapabilities(Voice: true, Sms: false, Mms: true, Fax: false), owned.Capabilities);
    }

    [Fact]
    public async Task Purchase_WhenNumberTaken_ThrowsNumberNotAvailableWithCode21422()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.TakenNumbers["+18089251571"] = true;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.NumberNotAvailable, ex.Kind);
        Assert.Equal(21422, ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(new Uri("https://www.twilio.com/docs/errors/21422"), ex.MoreInfo);
        Assert.Contains("not available to buy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PhoneNumber Requested is not available", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.OutcomeUnknown);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Purchase_On500_IsNotRetried_AndReportsOutcomeUnknown()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.PurchaseServerErrorTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.ServerError, ex.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.True(ex.OutcomeUnknown);
        Assert.Contains("may have been carried out", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.RequestsTo("POST", "/IncomingPhoneNumbers.json"));
    }

    [Fact]
    public async Task Purchase_WhenAttemptTimesOut_IsNotRetried_AndReportsOutcomeUnknown()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.PurchaseSlowTimes = 1;
        var time = new FakeTimeProvider();
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => (o.RequestTimeout, o.RetryBaseDelay) = (Attempt, TimeSpan.Zero), time: time);

        var purchase = provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None);
        await TimeOutFirstAttemptAsync(server, "POST", "/IncomingPhoneNumbers.json", time);
        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => purchase.WaitAsync(Bound));

        Assert.Equal(TelephonyErrorKind.Timeout, ex.Kind);
        Assert.True(ex.OutcomeUnknown);
        Assert.Single(server.RequestsTo("POST", "/IncomingPhoneNumbers.json"));
    }

    /// <summary>
    /// Waits until the fake holds the first attempt, then moves the client's clock past its timeout. The timeout is on
    /// a fake clock so that a loaded machine cannot let it run out before the request reaches the server.
    /// </summary>
    private static async Task TimeOutFirstAttemptAsync(FakeTwilioServer server, string method, string path, FakeTimeProvider time)
    {
        using var waiting = new CancellationTokenSource(Bound);
        while (server.RequestsTo(method, path).Count == 0)
        {
            await Task.Delay(10, waiting.Token);
        }

        time.Advance(Attempt);
    }

    [Fact]
    public async Task Purchase_On429WithRetryAfter_IsRetriedOnceAndSucceeds()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.PurchaseRateLimitedTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var stopwatch = Stopwatch.StartNew();
        var owned = await provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None);

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(990), $"retried after {stopwatch.Elapsed}, before Retry-After");
        Assert.Equal("+18089251571", owned.PhoneNumber);
        Assert.Equal(2, server.RequestsTo("POST", "/IncomingPhoneNumbers.json").Count);
    }

    [Fact]
    public async Task Purchase_On429WithRetryAfterBeyondMaxDelay_ThrowsRateLimitedWithoutWaiting()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.PurchaseRateLimitedTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.RateLimited, ex.Kind);
        Assert.Equal(20429, ex.ErrorCode);
        Assert.False(ex.OutcomeUnknown);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Purchase_WhenConnectionRefused_RetriesBecauseNothingWasSent_ThenThrowsTransport()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var counter = new CountingHandler(new SocketsHttpHandler());
        var provider = TwilioTestProvider.Create(new Uri($"http://127.0.0.1:{port}"), o => o.MaxRetries = 2, counter);

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.Transport, ex.Kind);
        Assert.False(ex.OutcomeUnknown);
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public async Task Purchase_WithBadArguments_ThrowsBeforeAnyRequest()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        await Assert.ThrowsAsync<ArgumentException>(() => provider.PurchaseAsync("8089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => provider.PurchaseAsync("+18089251571", new Uri("ftp://x.example.com/"), TwilioTestProvider.StatusUrl, CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task WrongAuthToken_ThrowsAuthentication20003_WithoutRetry()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => o.AuthToken = "ffffffffffffffffffffffffffffffff");

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() => provider.ListOwnedAsync(CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.Authentication, ex.Kind);
        Assert.Equal(20003, ex.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("Twilio:AuthToken", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }
}
