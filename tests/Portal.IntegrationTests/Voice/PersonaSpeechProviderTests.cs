using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Fakes.Twilio;
using Portal.Voice.Audio;
using Portal.Web.Telephony;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// A persona's <c>SpeechToTextProvider</c>/<c>TextToSpeechProvider</c> choose the providers of its calls (deployment
/// default: Deepgram and ElevenLabs, see <see cref="PhoneCallFactory"/>); a choice the deployment does not offer falls back
/// to the default. Observed on the fakes: which vendor heard the caller and which one spoke.
/// </summary>
public sealed class PersonaSpeechProviderTests(PhoneCallFactory app) : IClassFixture<PhoneCallFactory>
{
    private const string Line = "What are your opening hours";

    private async Task<SimulatedCallResult> CallAsync(string? speechToText, string? textToSpeech, string voiceId)
    {
        var tenant = await app.CreateTenantAsync("Persona Providers Dental " + Guid.NewGuid().ToString("N")[..6]);
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas.ExecuteUpdateAsync(s => s
            .SetProperty(a => a.SpeechToTextProvider, speechToText)
            .SetProperty(a => a.TextToSpeechProvider, textToSpeech)
            .SetProperty(a => a.VoiceId, voiceId)));
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var result = await TwilioCallSimulator.RunAsync(
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
        Assert.True(result.Error is null, result.Error);
        Assert.True(result.Greeting.Length > 8000, "no spoken greeting");
        Assert.NotNull(Assert.Single(result.Turns).LatencyMs);
        return result;
    }

    [Fact]
    public async Task PersonaChoice_OpenAiRecognizer_AndEspeakVoice_ReplaceTheDefaults()
    {
        int deepgramBefore = app.Deepgram.Sessions.Count;
        int elevenLabsBefore = app.ElevenLabs.Requests.Count;
        int openAiBefore = app.OpenAi.Transcriptions.Count;
        app.OpenAi.EnqueueTranscripts(Line);

        var result = await CallAsync(speechToText: "openai", textToSpeech: "espeak", voiceId: "en-us");

        Assert.Equal(deepgramBefore, app.Deepgram.Sessions.Count); // the default recognizer was never opened
        Assert.Equal(elevenLabsBefore, app.ElevenLabs.Requests.Count); // nor the default synthesizer asked
        Assert.Equal(openAiBefore + 1, app.OpenAi.Transcriptions.Count); // the caller's line went to the persona's choice
        Assert.Equal(8000, app.OpenAi.Transcriptions.Last().SampleRateHz);
        var pcm = new short[result.AgentAudio.Length];
        MuLaw.Decode(result.AgentAudio, pcm);
        Assert.True(pcm.Select(s => Math.Abs((int)s)).Max() > 3000, "the espeak-ng voice was silent");
        var callerTurn = await CallerTurnAsync(result.CallSid);
        Assert.Equal(Line, callerTurn.Text);
    }

    [Fact]
    public async Task PersonaChoice_NotOfferedHere_FallsBackToTheDeploymentDefaults()
    {
        int deepgramBefore = app.Deepgram.Sessions.Count;
        int elevenLabsBefore = app.ElevenLabs.Requests.Count;
        int openAiBefore = app.OpenAi.SpeechRequests.Count;
        app.Deepgram.EnqueueTranscripts(Line);

        // "openai" speech synthesis is not configured in this deployment; "whisper-cloud" is no provider at all.
        var result = await CallAsync(speechToText: "whisper-cloud", textToSpeech: "openai", voiceId: "21m00Tcm4TlvDq8ikWAM");

        Assert.Equal(deepgramBefore + 1, app.Deepgram.Sessions.Count);
        Assert.True(app.ElevenLabs.Requests.Count > elevenLabsBefore, "the default synthesizer was not used");
        Assert.Equal(openAiBefore, app.OpenAi.SpeechRequests.Count);
        Assert.Equal(Line, (await CallerTurnAsync(result.CallSid)).Text);
    }

    private async Task<Turn> CallerTurnAsync(string callSid)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var conversation = await db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.CallSid == callSid);
        return await db.Turns.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConversationId == conversation.Id && t.Speaker == Speaker.Customer);
    }
}
