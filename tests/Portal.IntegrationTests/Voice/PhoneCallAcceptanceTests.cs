using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Fakes;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Audio;
using Portal.Web.Telephony;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// Portal on Kestrel (127.0.0.1) in keyless telephony mode (generated sandbox auth token), with Deepgram and ElevenLabs
/// configured as the deployment's speech providers and pointed at their loopback fakes, which speak the vendors' real
/// wire protocols; an OpenAI-compatible transcription server (fake) is offered as well, for personas that choose it.
/// </summary>
public sealed class PhoneCallFactory : PortalAppFactory
{
    public string KeysPath { get; } = Path.Combine(Path.GetTempPath(), "portal-keys-" + Guid.NewGuid().ToString("N"));

    public FakeDeepgramServer Deepgram { get; private set; } = null!;

    public FakeElevenLabsServer ElevenLabs { get; private set; } = null!;

    /// <summary>An OpenAI-compatible audio server, configured as a second speech-to-text provider (not the default).</summary>
    public FakeOpenAiAudioServer OpenAi { get; private set; } = null!;

    protected override bool UseRealServer => true;

    public override async Task InitializeAsync()
    {
        Deepgram = await FakeDeepgramServer.StartAsync();
        ElevenLabs = await FakeElevenLabsServer.StartAsync();
        OpenAi = await FakeOpenAiAudioServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Deepgram.DisposeAsync();
        await ElevenLabs.DisposeAsync();
        await OpenAi.DisposeAsync();
        if (Directory.Exists(KeysPath))
        {
            Directory.Delete(KeysPath, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DataProtection:KeysPath", KeysPath);
        builder.UseSetting("Voice:SpeechToText:Provider", "deepgram");
        builder.UseSetting("Voice:SpeechToText:Deepgram:BaseUrl", Deepgram.BaseUrl.ToString());
        builder.UseSetting("Voice:SpeechToText:Deepgram:ApiKey", Deepgram.ApiKey);
        builder.UseSetting("Voice:SpeechToText:OpenAi:BaseUrl", OpenAi.BaseUrl.ToString());
        builder.UseSetting("Voice:TextToSpeech:Provider", "elevenlabs");
        builder.UseSetting("Voice:TextToSpeech:ElevenLabs:BaseUrl", ElevenLabs.BaseUrl.ToString());
        builder.UseSetting("Voice:TextToSpeech:ElevenLabs:ApiKey", FakeElevenLabsServer.DefaultApiKey);
    }
}

/// <summary>
/// Phone call acceptance, end to end on loopback: the Twilio call simulator phones a business's number (signed webhook,
/// Media Streams WebSocket, caller lines spoken by espeak-ng as 8 kHz μ-law); Portal streams that audio to the Deepgram
/// fake, which transcribes each line when the audio's speech ends (its transcripts are the caller's script, in the order
/// spoken); the agent's replies are synthesized by the ElevenLabs fake and streamed back. The caller books a cleaning;
/// the call, its turns with their voice figures and the booking are then read from the database, and the agent's audio
/// must be real speech.
/// </summary>
public sealed class PhoneCallAcceptanceTests(PhoneCallFactory app, ITestOutputHelper output) : IClassFixture<PhoneCallFactory>
{
    private const string CallerNumber = "+14155550199";
    private const string RachelVoice = "21m00Tcm4TlvDq8ikWAM";

    [Fact]
    public async Task Caller_BooksACleaning_OverARealCall_CallTurnsAndBookingAreStored_AgentAudioIsSpeech()
    {
        var tenant = await app.CreateTenantAsync("Acceptance Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            await db.ClosedDates.ExecuteDeleteAsync(); // "tomorrow" is then always open (8-20 every day, see CreateTenantAsync)
            return await db.AgentPersonas.ExecuteUpdateAsync(s => s.SetProperty(a => a.VoiceId, RachelVoice));
        });

        string[] script = ["I would like to book a cleaning tomorrow at 10 am", "Jane Doe", "yes"];
        app.Deepgram.EnqueueTranscripts(script);
        var credentials = app.Services.GetRequiredService<ISandboxCredentials>();
        Assert.True(credentials.IsGenerated);
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var started = DateTime.UtcNow;

        var result = await TwilioCallSimulator.RunAsync(
            new SimulatedCallOptions
            {
                BaseUrl = app.ServerAddress,
                To = number,
                From = CallerNumber,
                AuthToken = credentials.AuthToken,
                Script = script,
                PauseBeforeLineMs = 300,
                // The caller answers once the agent has been quiet for 1.5 s: the agent's sentences are synthesized one after
                // another, and under load the gap between two can pass 700 ms; a "yes" said into that gap overlaps the
                // next sentence and is (rightly) taken as a backchannel, not an answer.
                AgentQuietMs = 1500,
                AgentTimeoutMs = 15_000,
            },
            http,
            timeout.Token);

        Assert.True(result.Error is null, result.Error + "\n" + string.Join("\n", app.Deepgram.Refused) + string.Join("\n", app.ElevenLabs.Refused));
        Assert.Equal(script.Length, result.Turns.Count);
        Assert.All(result.Turns, t => Assert.True(t.LatencyMs is not null, $"no answer to \"{t.Caller}\""));
        var elapsed = DateTime.UtcNow - started;
        output.WriteLine($"call {elapsed.TotalSeconds:F1} s, greeting after start {result.GreetingLatencyMs:F0} ms, turn latencies (end of caller audio -> first agent frame) "
            + string.Join(", ", result.Turns.Select(t => $"{t.LatencyMs:F0} ms")));
        Assert.True(elapsed < TimeSpan.FromSeconds(90), $"the call took {elapsed.TotalSeconds:F1} s");

        // The audio really went through Portal to the recognizer: one Deepgram connection heard a μ-law 8 kHz stream with
        // one utterance per caller line.
        var listen = Assert.Single(app.Deepgram.Sessions);
        Assert.Equal("mulaw", listen.Query["encoding"]);
        Assert.Equal("8000", listen.Query["sample_rate"]);
        Assert.Equal(script.Length, listen.Utterances);
        Assert.True(listen.AudioBytes > 8000 * 3, $"{listen.AudioBytes} bytes of caller audio reached Deepgram");
        Assert.Contains(app.ElevenLabs.Requests, r => r.VoiceId == RachelVoice && r.Query.GetValueOrDefault("output_format") == "ulaw_8000");

        // The call, its turns and the booking are in the database.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var call = await EventuallyAsync(() => db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.CallSid == result.CallSid),
            c => c.EndedAt is not null);
        var turns = await db.Turns.IgnoreQueryFilters().AsNoTracking().Where(t => t.ConversationId == call.Id).OrderBy(t => t.Sequence).ToListAsync();
        foreach (var t in turns)
        {
            output.WriteLine($"  {t.Sequence} {t.Speaker}: {t.Text}{(t.Interrupted ? " (interrupted)" : "")} [{t.Intent}] completed {t.CompletedAt:HH:mm:ss.fff}");
        }

        output.WriteLine($"  outcome {call.Outcome}, ended {call.EndedAt:HH:mm:ss.fff}, updated {call.UpdatedAt:HH:mm:ss.fff}, status {call.CallStatus}, bookings {await db.Bookings.IgnoreQueryFilters().CountAsync(b => b.ConversationId == call.Id)}");

        Assert.Equal(tenant.TenantId, call.TenantId);
        Assert.Equal(Channel.Voice, call.Channel);
        Assert.Equal(CallerNumber, call.FromNumber);
        Assert.Equal(number, call.ToNumber);
        Assert.Equal(ConversationOutcome.Booked, call.Outcome);
        Assert.Equal("Jane Doe", call.CustomerName);

        var callerTurns = turns.Where(t => t.Speaker == Speaker.Customer).ToList();
        var agentTurns = turns.Where(t => t.Speaker == Speaker.Agent && t.Sequence > 0).ToList();
        Assert.Equal(script, callerTurns.Select(t => t.Text));
        Assert.All(callerTurns, t =>
        {
            Assert.True(t.Confidence is > 0.5 and <= 1, $"confidence {t.Confidence} of \"{t.Text}\"");
            Assert.True(t.AudioStartMs is >= 0 && t.AudioEndMs > t.AudioStartMs, $"caller audio {t.AudioStartMs}-{t.AudioEndMs} ms of \"{t.Text}\"");
        });
        Assert.Equal(script.Length, agentTurns.Count);
        Assert.All(agentTurns, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Text));
            Assert.True(t.TranscriptLatencyMs >= 0 && t.ModelLatencyMs >= 0 && t.SpeechLatencyMs >= 0 && t.FrameOutLatencyMs >= 0,
                $"latency breakdown of \"{t.Text}\": transcript {t.TranscriptLatencyMs}, model {t.ModelLatencyMs}, speech {t.SpeechLatencyMs}, frame {t.FrameOutLatencyMs}");
            Assert.True(t.AudioStartMs is >= 0 && t.AudioEndMs > t.AudioStartMs, $"agent audio {t.AudioStartMs}-{t.AudioEndMs} ms of \"{t.Text}\"");
        });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"); // CreateTenantAsync's time zone
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(call.StartedAt, zone).DateTime).AddDays(1);
        var day = tomorrow.ToString("dddd, MMMM d", System.Globalization.CultureInfo.GetCultureInfo("en-US")); // read-backs state weekday and date
        Assert.StartsWith($"Tomorrow, {day} at 10 AM is available", agentTurns[0].Text, StringComparison.Ordinal);
        Assert.StartsWith($"Just to confirm: a cleaning tomorrow, {day} at 10 AM for Jane Doe", agentTurns[1].Text, StringComparison.Ordinal);

        var booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().Include(b => b.Service).SingleAsync(b => b.ConversationId == call.Id);
        var expectedLocal = tomorrow.ToDateTime(new TimeOnly(10, 0));
        Assert.Equal(tenant.TenantId, booking.TenantId);
        Assert.Equal("Cleaning", booking.Service!.Name);
        Assert.Equal(BookingStatus.Confirmed, booking.Status);
        Assert.Equal(expectedLocal, TimeZoneInfo.ConvertTime(booking.StartUtc, zone).DateTime);
        Assert.Equal(TimeSpan.FromMinutes(60), booking.EndUtc - booking.StartUtc);
        Assert.Equal("Jane Doe", booking.CustomerName);
        Assert.Equal(CallerNumber, booking.CustomerPhone);

        // The agent's WAV is speech: loud enough overall and more than a second of voiced 20 ms frames.
        string wav = Path.Combine(Path.GetTempPath(), $"acceptance-{result.CallSid}.wav");
        try
        {
            result.SaveAgentWav(wav);
            Assert.True(WavPcm.TryRead(await File.ReadAllBytesAsync(wav), out var pcm, out int rate, out _));
            Assert.Equal(8000, rate);
            double rms = RmsDbfs(pcm);
            int voicedMs = VoicedMs(pcm, rate);
            Assert.True(rms > -35, $"agent audio RMS {rms:F1} dBFS");
            Assert.True(voicedMs > 1000, $"agent audio voiced for {voicedMs} ms");
            Assert.True(result.Greeting.Length > 0, "no greeting audio");
        }
        finally
        {
            File.Delete(wav);
        }
    }

    /// <summary>RMS level of <paramref name="pcm"/> in dBFS (-100 for empty input).</summary>
    private static double RmsDbfs(ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (var s in pcm)
        {
            sum += (double)s * s;
        }

        return pcm.Length == 0 ? -100 : 20 * Math.Log10(Math.Max(1e-9, Math.Sqrt(sum / pcm.Length) / 32768.0));
    }

    /// <summary>Milliseconds of 20 ms frames louder than -40 dBFS.</summary>
    private static int VoicedMs(short[] pcm, int rate)
    {
        int frame = rate / 50;
        int voiced = 0;
        for (int offset = 0; offset + frame <= pcm.Length; offset += frame)
        {
            if (RmsDbfs(pcm.AsSpan(offset, frame)) > -40)
            {
                voiced++;
            }
        }

        return voiced * 20;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
