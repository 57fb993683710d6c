using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.LoadDriver;
using Portal.Web.Telephony;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Voice;

/// <summary>Portal on Kestrel (127.0.0.1) in keyless mode with its default speech (pocketsphinx when installed, espeak-ng), as <c>./run.sh</c> serves it.</summary>
public sealed class LoadDriverFactory : PortalAppFactory
{
    public string KeysPath { get; } = Path.Combine(Path.GetTempPath(), "portal-keys-" + Guid.NewGuid().ToString("N"));

    protected override bool UseRealServer => true;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(KeysPath))
        {
            Directory.Delete(KeysPath, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DataProtection:KeysPath", KeysPath);
    }
}

/// <summary>
/// The load driver's core (tools/Portal.LoadDriver) against the real app on loopback: a handful of calls, each with a
/// signed webhook, a Media Stream in real time, a spoken line and a key press. Proves the driver works end to end (no
/// failed call, greetings and answers heard, marks echoed, the calls stored); timings are printed, never asserted.
/// </summary>
public sealed class LoadDriverTests(LoadDriverFactory app, ITestOutputHelper output) : IClassFixture<LoadDriverFactory>
{
    [Fact]
    public async Task Driver_PlacesAHandfulOfCalls_NoneFails_EachHearsTheGreetingAndAnAnswerToEveryStep()
    {
        var tenant = await app.CreateTenantAsync("Load Driver Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        using var http = new HttpClient();
        var log = new StringWriter();

        // The keyless app writes its sandbox token on first use; the driver finds it as it would next to ./run.sh.
        string? token = await AuthTokens.ResolveAsync(null, Path.Combine(app.KeysPath, AuthTokens.SandboxFileName), app.ServerAddress, http, log);
        Assert.Equal(app.Services.GetRequiredService<ISandboxCredentials>().AuthToken, token);

        var options = new LoadOptions
        {
            BaseUrl = app.ServerAddress,
            To = number,
            AuthToken = token!,
            Calls = 4,
            RampSeconds = 1,
            AnswerTimeoutMs = 30_000, // a busy build machine: the bound is for a hung call, not a figure
            MaxRunSeconds = 150,
        };
        int dbPort = new NpgsqlConnectionStringBuilder(app.ConnectionString).Port;
        var run = await LoadRun.RunAsync(options, Environment.ProcessId, dbPort, null, CancellationToken.None);
        LoadReport.WriteCalls(log, run);
        LoadReport.WriteSummary(log, run);
        output.WriteLine(log.ToString());

        Assert.Equal(4, run.Calls.Count);
        Assert.All(run.Calls, c =>
        {
            Assert.True(c.Error is null, $"call {c.Index}: {c.Error}");
            Assert.True(c.GreetingMs is not null && c.GreetingAudioMs > 500, $"call {c.Index}: greeting {c.GreetingAudioMs} ms of audio");
            Assert.Equal(["greeting", "say:What are your opening hours?", "dtmf:1"], c.Replies.Select(r => r.Step));
            Assert.All(c.Replies, r => Assert.True(r.LatencyMs is not null && r.AudioMs > 0, $"call {c.Index}: no answer to {r.Step}"));
            Assert.True(c.MarksEchoed > 0, $"call {c.Index}: no mark echoed");
            Assert.True(c.FramesSent > 100, $"call {c.Index}: {c.FramesSent} caller frames");
            Assert.Equal(0, c.InvalidMessages);
            Assert.Null(c.StatusCallbackError);
        });
        Assert.InRange(run.PeakActiveCalls, 1, 4);
        Assert.NotEmpty(run.Server);
        Assert.All(run.Server, s => Assert.True(s.RssBytes > 0));

        // The calls really went through the app: one stored voice conversation per CallSid.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var sids = run.Calls.Select(c => c.CallSid).ToList();
        Assert.Equal(4, await db.Conversations.IgnoreQueryFilters().CountAsync(c => c.CallSid != null && sids.Contains(c.CallSid) && c.TenantId == tenant.TenantId));
    }

    [Theory]
    [InlineData("Host=db;Username=u;Maximum Pool Size=80", 80)]
    [InlineData("Host=db;Username=u;maximum pool size=12", 12)]
    [InlineData("Host=db;Username=u;maxpoolsize=100", 100)]
    [InlineData("Host=db;Username=u", Portal.Domain.DependencyInjection.DefaultMaxPoolSize)]
    public void TuneConnectionString_KeepsAPoolSizeTheOperatorSet_ElseAppliesTheBudget(string connectionString, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(Portal.Domain.DependencyInjection.TuneConnectionString(connectionString));
        Assert.Equal(expected, tuned.MaxPoolSize);
        Assert.Equal(64, tuned.MaxAutoPrepare);
    }
}
