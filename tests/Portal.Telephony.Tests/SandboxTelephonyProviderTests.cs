using Portal.Telephony;

namespace Portal.Telephony.Tests;

public sealed class SandboxTelephonyProviderTests
{
    private static readonly Uri VoiceUrl = new("https://portal.example.com/twilio/voice/incoming");
    private static readonly Uri StatusUrl = new("https://portal.example.com/twilio/voice/status");

    private static string NewSid(string prefix) => prefix + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Search_ByAreaCode_ReturnsFictional555NumbersInOrder_UpToLimit()
    {
        var sandbox = new SandboxTelephonyProvider();

        var numbers = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 415, Limit: 3), CancellationToken.None);

        Assert.Equal(["+14155550100", "+14155550101", "+14155550102"], numbers.Select(n => n.PhoneNumber));
        var first = numbers[0];
        Assert.Equal("(415) 555-0100", first.FriendlyName);
        Assert.Equal("San Francisco", first.Locality);
        Assert.Equal("CA", first.Region);
        Assert.Equal("94103", first.PostalCode);
        Assert.Equal("US", first.IsoCountry);
        Assert.True(first.Capabilities.Voice);
    }

    [Fact]
    public async Task Search_ByLocalityAndRegion_IsCaseInsensitive_AndCoversTheWholeInventory()
    {
        var sandbox = new SandboxTelephonyProvider();

        var boston = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(Locality: "boston", Limit: 50), CancellationToken.None);
        var texas = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(Region: "tx", Limit: 50), CancellationToken.None);
        var mismatch = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 212, Region: "CA"), CancellationToken.None);

        Assert.Equal(50, boston.Count);
        Assert.All(boston, n => Assert.StartsWith("+1617555", n.PhoneNumber, StringComparison.Ordinal));
        Assert.All(texas, n => Assert.Equal("Austin", n.Locality));
        Assert.Empty(mismatch);
    }

    [Fact]
    public async Task Search_Contains_SupportsDigitsWildcardsAndKeypadLetters()
    {
        var sandbox = new SandboxTelephonyProvider();

        var digits = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 206, Contains: "0199"), CancellationToken.None);
        var wildcard = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 206, Contains: "01*7"), CancellationToken.None);
        var letters = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 305, Contains: "01DD"), CancellationToken.None); // D=3 on the keypad

        Assert.Equal("+12065550199", Assert.Single(digits).PhoneNumber);
        Assert.Equal(["+12065550107", "+12065550117", "+12065550127", "+12065550137", "+12065550147", "+12065550157", "+12065550167", "+12065550177", "+12065550187", "+12065550197"], wildcard.Select(n => n.PhoneNumber));
        Assert.Equal("+13055550133", Assert.Single(letters).PhoneNumber);
    }

    [Fact]
    public async Task Search_OutsideTheUs_OrUnknownAreaCode_ReturnsEmpty()
    {
        var sandbox = new SandboxTelephonyProvider();

        Assert.Empty(await sandbox.SearchAvailableAsync(new AvailableNumberQuery("GB"), CancellationToken.None));
        Assert.Empty(await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 808), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.SearchAvailableAsync(new AvailableNumberQuery(Limit: 0), CancellationToken.None));
    }

    [Fact]
    public async Task Purchase_RecordsOwnership_WithTwilioShapedSid_AndHidesTheNumberFromSearch()
    {
        var sandbox = new SandboxTelephonyProvider();

        var owned = await sandbox.PurchaseAsync("+12125550100", VoiceUrl, StatusUrl, CancellationToken.None);

        Assert.Matches("^PN[0-9a-f]{32}$", owned.ProviderSid);
        Assert.Equal("(212) 555-0100", owned.FriendlyName);
        Assert.Equal(VoiceUrl, owned.VoiceUrl);
        Assert.Equal(StatusUrl, owned.StatusCallbackUrl);
        Assert.Equal([owned], await sandbox.ListOwnedAsync(CancellationToken.None));
        var next = await sandbox.SearchAvailableAsync(new AvailableNumberQuery(AreaCode: 212, Limit: 1), CancellationToken.None);
        Assert.Equal("+12125550101", Assert.Single(next).PhoneNumber);
    }

    [Fact]
    public async Task Purchase_SameNumberTwice_SecondFailsWithNumberNotAvailable()
    {
        var sandbox = new SandboxTelephonyProvider();
        var owned = await sandbox.PurchaseAsync("+13125550142", VoiceUrl, StatusUrl, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<TelephonyException>(() => sandbox.PurchaseAsync("+13125550142", VoiceUrl, StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.NumberNotAvailable, ex.Kind);
        Assert.Contains("+13125550142", ex.Message, StringComparison.Ordinal);
        Assert.Contains("already owned", ex.Message, StringComparison.Ordinal);
        Assert.Contains(owned.ProviderSid, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purchase_OfANumberOutsideTheInventory_FailsWithNumberNotAvailable()
    {
        var sandbox = new SandboxTelephonyProvider();

        var ex = await Assert.ThrowsAsync<TelephonyException>(() => sandbox.PurchaseAsync("+12125550200", VoiceUrl, StatusUrl, CancellationToken.None));

        Assert.Equal(TelephonyErrorKind.NumberNotAvailable, ex.Kind);
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.PurchaseAsync("212-555-0100", VoiceUrl, StatusUrl, CancellationToken.None));
    }

    [Fact]
    public async Task Purchase_TwentyParallelBuyersOfOneNumber_ExactlyOneWins()
    {
        var sandbox = new SandboxTelephonyProvider();
        using var start = new ManualResetEventSlim(false);

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                return (Owned: await sandbox.PurchaseAsync("+15125550150", VoiceUrl, StatusUrl, CancellationToken.None), Error: (TelephonyException?)null);
            }
            catch (TelephonyException ex)
            {
                return (Owned: (OwnedNumber?)null, Error: ex);
            }
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Owned is not null);
        Assert.Equal(19, results.Count(r => r.Error?.Kind == TelephonyErrorKind.NumberNotAvailable));
        Assert.Equal([winner.Owned!], await sandbox.ListOwnedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Release_IsIdempotent_AndReturnsTheNumberToTheInventory()
    {
        var sandbox = new SandboxTelephonyProvider();
        var owned = await sandbox.PurchaseAsync("+16175550100", VoiceUrl, StatusUrl, CancellationToken.None);

        await sandbox.ReleaseAsync(owned.ProviderSid, CancellationToken.None);
        await sandbox.ReleaseAsync(owned.ProviderSid, CancellationToken.None);
        await sandbox.ReleaseAsync(NewSid("PN"), CancellationToken.None);

        Assert.Empty(await sandbox.ListOwnedAsync(CancellationToken.None));
        var again = await sandbox.PurchaseAsync("+16175550100", VoiceUrl, StatusUrl, CancellationToken.None);
        Assert.NotEqual(owned.ProviderSid, again.ProviderSid);
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.ReleaseAsync("PN-not-a-sid", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateWebhooks_ChangesUrls_AndUnknownSidIsNotFound()
    {
        var sandbox = new SandboxTelephonyProvider();
        var owned = await sandbox.PurchaseAsync("+12065550100", new Uri("https://old.example.com/v"), new Uri("https://old.example.com/s"), CancellationToken.None);

        var updated = await sandbox.UpdateWebhooksAsync(owned.ProviderSid, VoiceUrl, StatusUrl, CancellationToken.None);

        Assert.Equal(owned with { VoiceUrl = VoiceUrl, StatusCallbackUrl = StatusUrl }, updated);
        Assert.Equal([updated], await sandbox.ListOwnedAsync(CancellationToken.None));
        var ex = await Assert.ThrowsAsync<TelephonyException>(() => sandbox.UpdateWebhooksAsync(NewSid("PN"), VoiceUrl, StatusUrl, CancellationToken.None));
        Assert.Equal(TelephonyErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task RedirectCall_RecordsTwimlOrUrl()
    {
        var sandbox = new SandboxTelephonyProvider();
        var callSid = NewSid("CA");

        await sandbox.RedirectCallAsync(callSid, "<Response><Hangup/></Response>", CancellationToken.None);
        await sandbox.RedirectCallAsync(callSid, "https://portal.example.com/twiml/transfer", CancellationToken.None);

        Assert.Equal(
            [new SandboxCallRedirect(callSid, "<Response><Hangup/></Response>", null), new SandboxCallRedirect(callSid, null, new Uri("https://portal.example.com/twiml/transfer"))],
            sandbox.Redirects);
    }
}
