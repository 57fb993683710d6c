using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes.Twilio;
using Portal.Telephony;

namespace Portal.Telephony.Tests;

public sealed class TwilioWebhooksPagingAndRegistrationTests
{
    [Fact]
    public async Task UpdateWebhooks_PostsVoiceAndStatusUrlsToTheNumber()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);
        var owned = await provider.PurchaseAsync("+18089251571", new Uri("https://old.example.com/v"), new Uri("https://old.example.com/s"), CancellationToken.None);

        var updated = await provider.UpdateWebhooksAsync(owned.ProviderSid, TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None);

        var request = server.Requests.Last();
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/IncomingPhoneNumbers/{owned.ProviderSid}.json", request.Path);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["VoiceUrl"] = TwilioTestProvider.VoiceUrl.AbsoluteUri,
                ["VoiceMethod"] = "POST",
                ["StatusCallback"] = TwilioTestProvider.StatusUrl.AbsoluteUri,
                ["StatusCallbackMethod"] = "POST",
            },
            request.Form);
        Assert.Equal(TwilioTestProvider.VoiceUrl, updated.VoiceUrl);
        Assert.Equal(TwilioTestProvider.StatusUrl, updated.StatusCallbackUrl);
    }

    [Fact]
    public async Task UpdateWebhooks_OfUnknownNumber_ThrowsNotFound20404()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var ex = await Assert.ThrowsAsync<TwilioApiException>(() =>
            provider.UpdateWebhooksAsync("PN" + new string('f', 32), TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.NotFound, ex.Kind);
        Assert.Equal(20404, ex.ErrorCode);
    }

    [Fact]
    public async Task Release_DeletesTheNumber_AndASecondReleaseOf404IsSuccess()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);
        var owned = await provider.PurchaseAsync("+18089251571", TwilioTestProvider.VoiceUrl, TwilioTestProvider.StatusUrl, CancellationToken.None);

        await provider.ReleaseAsync(owned.ProviderSid, CancellationToken.None);
        await provider.ReleaseAsync(owned.ProviderSid, CancellationToken.None);

        var deletes = server.RequestsTo("DELETE", $"/IncomingPhoneNumbers/{owned.ProviderSid}.json");
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.Equal(FakeTwilioServer.ExpectedAuthorization, d.Authorization));
        Assert.Empty(await provider.ListOwnedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ListOwned_FollowsNextPageUriAcrossThreePages()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SeedOwned(7);
        var provider = TwilioTestProvider.Create(server.BaseUrl, o => o.ListPageSize = 3);

        var owned = await provider.ListOwnedAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(100, 7).Select(i => $"+1212555{i:0000}"), owned.Select(o => o.PhoneNumber));
        Assert.All(owned, o => Assert.Null(o.StatusCallbackUrl)); // Twilio's "" means unset
        var gets = server.RequestsTo("GET", "/IncomingPhoneNumbers.json");
        Assert.Equal(3, gets.Count);
        Assert.Equal(new Dictionary<string, string> { ["PageSize"] = "3" }, gets[0].Query);
        Assert.Equal(new Dictionary<string, string> { ["PageSize"] = "3", ["Page"] = "1", ["PageToken"] = "PA1" }, gets[1].Query);
        Assert.Equal(new Dictionary<string, string> { ["PageSize"] = "3", ["Page"] = "2", ["PageToken"] = "PA2" }, gets[2].Query);
    }

    [Fact]
    public async Task ListOwned_On500Once_RetriesTheGetAndSucceeds()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SeedOwned(2);
        server.ListServerErrorTimes = 1;
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var owned = await provider.ListOwnedAsync(CancellationToken.None);

        Assert.Equal(2, owned.Count);
        Assert.Equal(2, server.RequestsTo("GET", "/IncomingPhoneNumbers.json").Count);
    }

    [Fact]
    public async Task RedirectCall_WithTwiml_PostsTwiml_AndWithUrl_PostsUrlAndMethod()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var provider = TwilioTestProvider.Create(server.BaseUrl);
        const string twiml = "<Response><Dial>+14155550123</Dial></Response>";

        await provider.RedirectCallAsync(FakeTwilioServer.CallSid, twiml, CancellationToken.None);
        await provider.RedirectCallAsync(FakeTwilioServer.CallSid, "https://portal.example.com/twilio/voice/transfer?to=sales", CancellationToken.None);

        var posts = server.RequestsTo("POST", $"/Calls/{FakeTwilioServer.CallSid}.json");
        Assert.Equal(2, posts.Count);
        Assert.Equal(new Dictionary<string, string> { ["Twiml"] = twiml }, posts[0].Form);
        Assert.Equal(
            new Dictionary<string, string> { ["Url"] = "https://portal.example.com/twilio/voice/transfer?to=sales", ["Method"] = "POST" },
            posts[1].Form);
        await Assert.ThrowsAsync<ArgumentException>(() => provider.RedirectCallAsync(FakeTwilioServer.CallSid, "<Response>" + new string(' ', 4000) + "</Response>", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => provider.RedirectCallAsync("CA123", twiml, CancellationToken.None));
    }

    [Fact]
    public async Task AddTwilioTelephony_WithCredentials_ResolvesTwilioClientThatTalksToTheConfiguredBaseUrl()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.SeedOwned(1);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilioServer.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilioServer.AuthToken,
            ["Twilio:BaseUrl"] = server.BaseUrl.ToString(),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddTwilioTelephony(configuration).BuildServiceProvider();

        var provider = services.GetRequiredService<ITelephonyProvider>();

        Assert.IsType<TwilioTelephonyProvider>(provider);
        Assert.Single(await provider.ListOwnedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddTwilioTelephony_WithoutCredentials_ResolvesOneSandboxSingleton()
    {
        var configuration = new ConfigurationBuilder().Build();
        await using var services = new ServiceCollection().AddLogging().AddTwilioTelephony(configuration).BuildServiceProvider();

        var first = services.GetRequiredService<ITelephonyProvider>();

        Assert.IsType<SandboxTelephonyProvider>(first);
        Assert.Same(first, services.GetRequiredService<ITelephonyProvider>());
    }

    [Theory]
    [InlineData("not-a-sid", FakeTwilioServer.AuthToken)]
    [InlineData(FakeTwilioServer.AccountSid, "")]
    public async Task AddTwilioTelephony_WithInvalidOptions_FailsValidation(string accountSid, string authToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = accountSid,
            ["Twilio:AuthToken"] = authToken,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddTwilioTelephony(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TwilioOptions>>().Value);
    }
}
