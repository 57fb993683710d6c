using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.E2E;

/// <summary>
/// The app on Kestrel plus two headless Chromiums with fake media devices: one whose microphone is a spoken WAV made
/// at test time with espeak-ng (permission granted), one that denies the microphone prompt.
/// </summary>
public sealed class BrowserCallFixture : PortalAppFactory
{
    /// <summary>
    /// What the fake microphone says. Measured through Chromium (fake capture at 44.1 kHz, worklet to 16 kHz, echo
    /// cancellation) with pocketsphinx: "what are your opening hours" with the windowed-sinc worklet; with the earlier
    /// boxcar average it came out "what are your opening now is".
    /// </summary>
    public const string Question = "What are your opening hours?";

    /// <summary>Silence before the question, ms: the greeting plays first, as on a real call.</summary>
    public const int LeadSilenceMs = 12000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public IBrowser DenyingBrowser { get; private set; } = default!;

    public string WavPath { get; } = Path.Combine(Path.GetTempPath(), $"browser-call-{Guid.NewGuid():N}.wav");

    protected override bool UseRealServer => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await File.WriteAllBytesAsync(WavPath, await CallerWavAsync());
        _playwright = await Playwright.CreateAsync();
        string chromium = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        string[] common = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"];
        // %noloop: Chromium otherwise plays the file in a loop, and the question would be asked again and again.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = [.. common, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={WavPath}%noloop"],
        });
        DenyingBrowser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = [.. common, "--use-fake-device-for-media-stream", "--deny-permission-prompts"],
        });
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (DenyingBrowser is not null)
        {
            await DenyingBrowser.DisposeAsync();
        }

        _playwright?.Dispose();
        File.Delete(WavPath);
        await base.DisposeAsync();
    }

    /// <summary>16 kHz mono 16-bit PCM WAV: <see cref="LeadSilenceMs"/> of silence, the question, 25 s of silence.</summary>
    private static async Task<byte[]> CallerWavAsync()
    {
        var espeak = new EspeakStreamingTextToSpeech(new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance));
        byte[] speech = await espeak.SynthesizeAsync(Question, "en-us", AudioFormat.Wideband, CancellationToken.None);
        byte[] pcm = [.. new byte[32 * LeadSilenceMs], .. speech, .. new byte[32 * 25_000]];
        using var wav = new MemoryStream();
        using (var w = new BinaryWriter(wav, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            // RIFF/WAVE, PCM (format 1), mono, 16000 Hz, 16 bits (http://soundfile.sapp.org/doc/WaveFormat/).
            w.Write("RIFF"u8);
            w.Write(36 + pcm.Length);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)1);
            w.Write((short)1);
            w.Write(16000);
            w.Write(32000);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(pcm.Length);
            w.Write(pcm);
        }

        return wav.ToArray();
    }
}

/// <summary>"Call your agent" on the console page, with a spoken WAV as the owner's microphone.</summary>
public sealed class BrowserCallTests(BrowserCallFixture app) : IClassFixture<BrowserCallFixture>
{
    [Fact]
    public async Task Owner_CallsTheAgent_HearsAnAnswerAboutHours_AndTheCallIsStored()
    {
        var tenant = await app.CreateTenantAsync("Maple Street Dental");
        var (context, page) = await SignedInConsoleAsync(app.Browser, tenant);
        try
        {
            await page.ClickAsync("[data-testid=browser-call-start]");
            var state = page.Locator("[data-testid=browser-call-state]");
            await BrowserFixture.Expect(state).ToHaveTextAsync("Live", new() { Timeout = BrowserFixture.WaitTimeoutMs });
            await page.Locator("[data-testid=browser-call-hangup]").WaitForAsync();

            var greeting = page.Locator("[data-testid=call-agent-line]").First;
            await BrowserFixture.Expect(greeting).ToContainTextAsync("Maple Street Dental", new() { Timeout = BrowserFixture.WaitTimeoutMs });

            var question = page.Locator("[data-testid=call-caller-line]", new() { HasTextString = "hours" });
            await question.WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs });
            var answer = page.Locator("[data-testid=call-caller-line] ~ [data-testid=call-agent-line]", new() { HasTextString = "open" }).First;
            await answer.WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs });
            string heard = await question.InnerTextAsync();
            var stats = await page.EvaluateAsync<System.Text.Json.JsonElement>("async () => (await import('/js/browser-call.js')).stats()");
            Assert.True(stats.GetProperty("framesSent").GetInt32() > 500, $"microphone frames: {stats}");
            string answered = await answer.InnerTextAsync();
            await Shot(page, "14-browser-call");

            // Hang up once the answer has played: a reply cut off by the hang-up is stored as far as it was heard.
            await page.WaitForFunctionAsync("async () => (await import('/js/browser-call.js')).stats().pendingMarks === 0");

            await page.ClickAsync("[data-testid=browser-call-hangup]");
            await BrowserFixture.Expect(state).ToHaveTextAsync("Ended", new() { Timeout = BrowserFixture.WaitTimeoutMs });
            await page.Locator("[data-testid=browser-call-ended]").WaitForAsync();
            await page.Locator("[data-testid=browser-call-transcript-link]").WaitForAsync();

            var stored = await app.InTenantAsync(tenant.TenantId, async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
                return await db.Conversations.Include(c => c.Turns).AsNoTracking().SingleAsync(c => c.Channel == Channel.Voice);
            });
            Assert.NotNull(stored.EndedAt);
            var turns = stored.Turns.OrderBy(t => t.Sequence).ToList();
            Assert.Contains(turns, t => t.Speaker == Speaker.Customer && t.Text == heard);
            Assert.Contains(turns, t => t.Speaker == Speaker.Agent && t.Text.StartsWith(answered, StringComparison.Ordinal));
        }
        catch
        {
            await Shot(page, "browser-call-failure");
            throw;
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task MicrophoneDenied_ShowsAClearMessage_AndNoCallStarts()
    {
        var tenant = await app.CreateTenantAsync("Denied Dental");
        var (context, page) = await SignedInConsoleAsync(app.DenyingBrowser, tenant);
        try
        {
            await page.ClickAsync("[data-testid=browser-call-start]");
            var error = page.Locator("[data-testid=browser-call-error]");
            await BrowserFixture.Expect(error).ToContainTextAsync("Microphone access was denied");
            await BrowserFixture.Expect(page.Locator("[data-testid=browser-call-state]")).ToHaveTextAsync("Ready");
            await page.Locator("[data-testid=browser-call-start]").WaitForAsync();
            await Shot(page, "15-browser-call-denied");

            int calls = await app.InTenantAsync(tenant.TenantId, async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
                return await db.Conversations.CountAsync(c => c.Channel == Channel.Voice);
            });
            Assert.Equal(0, calls);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private async Task<(IBrowserContext Context, IPage Page)> SignedInConsoleAsync(IBrowser browser, TestTenant tenant)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", tenant.Email);
        await page.FillAsync("#password", tenant.Password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync("/console");
        // Interactive once the chat console has opened its conversation (the circuit is up).
        await page.Locator("[data-testid=agent-message]").First.WaitForAsync();
        return (context, page);
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });
}
