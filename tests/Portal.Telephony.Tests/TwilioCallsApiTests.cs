using Portal.Fakes.Twilio;
using Portal.Telephony;

namespace Portal.Telephony.Tests;

public sealed class TwilioCallsApiTests
{
    [Fact]
    public async Task GetCall_OfAnEndedCall_ReturnsStatusDurationAndEndTime()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        var ended = new DateTimeOffset(2026, 3, 1, 14, 30, 5, TimeSpan.Zero);
        server.Calls[FakeTwilioServer.CallSid] = ("completed", 42, ended);
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var call = await provider.GetCallAsync(FakeTwilioServer.CallSid, CancellationToken.None);

        Assert.Equal(new ProviderCall(FakeTwilioServer.CallSid, "completed", 42, ended), call);
        var request = Assert.Single(server.RequestsTo("GET", $"/Calls/{FakeTwilioServer.CallSid}.json"));
        Assert.Equal(FakeTwilioServer.ExpectedAuthorization, request.Authorization);
    }

    [Fact]
    public async Task GetCall_OfALiveCall_HasNoDurationOrEnd_AndAnUnknownCallIsNull()
    {
        await using var server = await FakeTwilioServer.StartAsync();
        server.Calls[FakeTwilioServer.CallSid] = ("in-progress", null, null);
        var provider = TwilioTestProvider.Create(server.BaseUrl);

        var live = await provider.GetCallAsync(FakeTwilioServer.CallSid, CancellationToken.None);
        var unknown = await provider.GetCallAsync("CA" + new string('b', 32), CancellationToken.None);

        Assert.Equal(new ProviderCall(FakeTwilioServer.CallSid, "in-progress", null, null), live);
        Assert.Null(unknown);
        await Assert.ThrowsAsync<ArgumentException>(() => provider.GetCallAsync("CA123", CancellationToken.None));
    }

    [Fact]
    public async Task Sandbox_HasNoCallsApi_GetCallIsNull()
    {
        var sandbox = new SandboxTelephonyProvider();

        Assert.Null(await sandbox.GetCallAsync(FakeTwilioServer.CallSid, CancellationToken.None));
    }
}
