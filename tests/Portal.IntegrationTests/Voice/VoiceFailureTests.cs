using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Audio;
using Portal.Web.Telephony;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// A business whose saved voice espeak-ng cannot speak (<c>variant+f3</c>, the "Storm (female)" the
/// wizard used to offer) gets a call. The call must be heard in the default voice, the failure counted on the call for its
/// agent (read by the admin Agents page and the owner's dashboard, see <see cref="VoiceErrorPagesTests"/>), for that
/// business only.
/// </summary>
public sealed class VoiceFailureTests(PhoneCallFactory app) : IClassFixture<PhoneCallFactory>
{
    private const string Line = "What are your opening hours";
    private const string BrokenVoice = "variant+f3";

    private async Task<(TestTenant Tenant, SimulatedCallResult Call)> CallWithVoiceAsync(string business, string voiceId)
    {
        var tenant = await app.CreateTenantAsync(business);
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas.ExecuteUpdateAsync(s => s
            .SetProperty(a => a.TextToSpeechProvider, "espeak")
            .SetProperty(a => a.VoiceId, voiceId)));
        app.Deepgram.EnqueueTranscripts(Line);
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var call = await TwilioCallSimulator.RunAsync(
            new SimulatedCallOptions
            {
                BaseUrl = app.ServerAddress,
                To = number,
                AuthToken = app.Services.GetRequiredService<ISandboxCredentials>().AuthToken,
                Script = [Line],
                PauseBeforeLineMs = 300,
                AgentQuietMs = 1500, // a pause between sentences on a loaded machine is not the end of the turn
                AgentTimeoutMs = 30_000,
            },
            http,
            timeout.Token);
        Assert.True(call.Error is null, call.Error);
        return (tenant, call);
    }

    private async Task<Conversation> ConversationAsync(string callSid)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // Read as the platform would for a test: across tenants, by the provider's call id.
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.CallSid == callSid);
    }

    private static double SpokenSeconds(byte[] ulaw)
    {
        var pcm = new short[ulaw.Length];
        MuLaw.Decode(ulaw, pcm);
        return SpeechMeasure.SpokenSeconds(pcm, 8000);
    }

    [Fact]
    public async Task CallWithAVoiceEspeakCannotSpeak_IsHeardInTheDefaultVoice_AndTheFailureIsCountedForItsAgent()
    {
        var (tenant, call) = await CallWithVoiceAsync("Storm Voice Dental " + Guid.NewGuid().ToString("N")[..6], BrokenVoice);

        Assert.True(SpokenSeconds(call.Greeting) >= 0.5, "the greeting was silent");
        var turn = Assert.Single(call.Turns);
        Assert.NotNull(turn.LatencyMs);
        Assert.True(SpokenSeconds(call.AgentAudio) > SpokenSeconds(call.Greeting), "the reply was silent");
        var conversation = await ConversationAsync(call.CallSid);
        Assert.True(conversation.SpeechFailures >= 1, "the failure was not counted");
        Assert.Contains(BrokenVoice, conversation.SpeechFailureReason, StringComparison.Ordinal);
        Assert.Contains("en-us", conversation.SpeechFailureReason, StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var row = Assert.Single(await scope.ServiceProvider.GetRequiredService<TenantAdministration>().AgentsAsync(tenant.Name, 10, CancellationToken.None));
        Assert.Equal(tenant.AgentId, row.AgentId);
        Assert.Equal(1, row.SpeechErrors);
        Assert.Equal(row.Errors + 1, row.TotalErrors);
        Assert.Equal(conversation.SpeechFailureReason, row.LastSpeechError);
    }

    [Fact]
    public async Task CallWithAWorkingVoice_CountsNothing()
    {
        var (tenant, call) = await CallWithVoiceAsync("Good Voice Dental " + Guid.NewGuid().ToString("N")[..6], "en-gb+f3");

        Assert.True(SpokenSeconds(call.Greeting) >= 0.5, "the greeting was silent");
        var conversation = await ConversationAsync(call.CallSid);
        Assert.Equal(0, conversation.SpeechFailures);
        Assert.Null(conversation.SpeechFailureReason);
        await using var scope = app.Services.CreateAsyncScope();
        var row = Assert.Single(await scope.ServiceProvider.GetRequiredService<TenantAdministration>().AgentsAsync(tenant.Name, 10, CancellationToken.None));
        Assert.Equal(0, row.SpeechErrors);
    }

    [Fact]
    public async Task SpeechFailureCount_IsTenantOwned_AnotherBusinessCanNeitherCountNorReadIt()
    {
        var owner = await app.CreateTenantAsync("Isolation Owner Dental " + Guid.NewGuid().ToString("N")[..6]);
        var intruder = await app.CreateTenantAsync("Isolation Intruder Dental " + Guid.NewGuid().ToString("N")[..6]);
        var conversationId = await app.InTenantAsync(owner.TenantId, async sp =>
            (await sp.GetRequiredService<ConversationService>().StartAsync(Channel.Voice, null, CancellationToken.None)).ConversationId);

        bool countedByOwner = await app.InTenantAsync(owner.TenantId, sp =>
            sp.GetRequiredService<CallConversationService>().RecordSpeechFailureAsync(conversationId, "espeak-ng could not speak 'variant+f3'", CancellationToken.None));
        bool countedByIntruder = await app.InTenantAsync(intruder.TenantId, sp =>
            sp.GetRequiredService<CallConversationService>().RecordSpeechFailureAsync(conversationId, "forged", CancellationToken.None));
        var ownerView = await app.InTenantAsync(owner.TenantId, sp => sp.GetRequiredService<SpeechFailureReport>().RecentAsync(CancellationToken.None));
        var intruderView = await app.InTenantAsync(intruder.TenantId, sp => sp.GetRequiredService<SpeechFailureReport>().RecentAsync(CancellationToken.None));

        Assert.True(countedByOwner);
        Assert.False(countedByIntruder);
        Assert.Equal((1, 1, conversationId), (ownerView.Calls, ownerView.Failures, ownerView.LastConversationId!.Value));
        Assert.Equal("espeak-ng could not speak 'variant+f3'", ownerView.LastReason);
        Assert.Equal((0, 0), (intruderView.Calls, intruderView.Failures));
        Assert.Null(intruderView.LastReason);
    }
}
