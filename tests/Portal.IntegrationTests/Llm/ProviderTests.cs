using Portal.Domain.Audit;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Polly.CircuitBreaker;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;
using Portal.Llm;
using Portal.Llm.Engine;
using Portal.Llm.Providers;

namespace Portal.IntegrationTests.Llm;

/// <summary>The app with the Anthropic provider pointed at a <see cref="FakeAnthropicServer"/>.</summary>
public sealed class AnthropicAppFactory : LlmAppFactory
{
    public const string Key = "sk-ant-test-KEY-5678";

    public FakeAnthropicServer Anthropic { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Anthropic = await FakeAnthropicServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Anthropic.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override IReadOnlyDictionary<string, string> LlmSettings() => new Dictionary<string, string>
    {
        ["Llm:Provider"] = "anthropic",
        ["Llm:BaseUrl"] = Anthropic.BaseUrl,
        ["Llm:Model"] = "claude-fake",
        ["Llm:ApiKey"] = Key,
        ["Llm:TimeToFirstTokenMs"] = "10000",
        ["Llm:MaxRetries"] = "0",
        ["Llm:CircuitMinimumThroughput"] = "50",
    };
}

/// <summary>The app with a breaker that opens after two failures and closes after 1.5 s.</summary>
public sealed class CircuitAppFactory : LlmAppFactory
{
    protected override IReadOnlyDictionary<string, string> LlmSettings() => new Dictionary<string, string>
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = OpenAI.BaseUrl,
        ["Llm:Model"] = Model,
        ["Llm:MaxRetries"] = "0",
        ["Llm:CircuitMinimumThroughput"] = "2",
        ["Llm:CircuitFailureRatio"] = "0.5",
        ["Llm:CircuitSamplingMs"] = "30000",
        ["Llm:CircuitBreakMs"] = "1500",
    };
}

public sealed class AnthropicProviderTests(AnthropicAppFactory app) : IClassFixture<AnthropicAppFactory>
{
    [Fact]
    public async Task Anthropic_StreamedToolUseAndText_CheckAvailabilityAndAnswer()
    {
        var tenant = await app.CreateTenantAsync("Anthropic Dental");
        var day = LlmAppFactory.Iso(LlmAppFactory.LocalDate(1));
        var script = app.Anthropic.Script;
        script.Enqueue(
            FakeStep.Call("check_availability", new { service = "Cleaning", date = day, time = "10:00" }),
            new FakeStep { Text = "Tomorrow at 10 AM is open. May I have your name?", InputTokens = 300, OutputTokens = 40 });
        var id = await app.StartChatAsync(tenant.TenantId);

        var streamed = new List<string>();
        TurnResult? result = null;
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await foreach (var e in sp.GetRequiredService<ConversationService>().StreamTurnAsync(id, "a cleaning tomorrow at 10am please", CancellationToken.None))
            {
                if (e.Delta is { } d)
                {
                    streamed.Add(d);
                }

                result = e.Result ?? result;
            }

            return 0;
        });

        Assert.NotNull(result);
        Assert.Equal(TurnEngines.Model, result.Engine);
        Assert.Equal("Tomorrow at 10 AM is open. May I have your name?", result.Reply);
        Assert.True(streamed.Count > 3, "the reply arrives in several deltas");
        Assert.Equal(result.Reply, string.Concat(streamed));
        Assert.Equal(2, script.Requests.Count);
        // Anthropic SDK 13.x sends ClientOptions.ApiKey as "Authorization: Bearer" (its XML docs); older versions used x-api-key.
        var headers = script.Requests[0].Headers;
        var sent = headers.TryGetValue("x-api-key", out var key) ? key : headers["Authorization"].Replace("Bearer ", "", StringComparison.Ordinal);
        Assert.Equal(AnthropicAppFactory.Key, sent);
        Assert.True(headers.ContainsKey("anthropic-version"));
        Assert.Contains("\"status\":\"available\"", script.Requests[1].ToolResults, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(AnthropicAppFactory.Key, StringComparison.Ordinal));
    }
}

public sealed class CircuitBreakerTests(CircuitAppFactory app) : IClassFixture<CircuitAppFactory>
{
    [Fact]
    public async Task Circuit_OpensAfterFailures_AnswersOffline_AndClosesForNewConversations()
    {
        var tenant = await app.CreateTenantAsync("Circuit Dental");
        var resilience = app.Services.GetRequiredService<LlmResilience>();
        var endpoint = $"openai-compatible|{app.OpenAI.BaseUrl}";
        app.Script.Enqueue(FakeStep.Fail(500), FakeStep.Fail(500));

        var first = await app.StartChatAsync(tenant.TenantId);
        Assert.Equal(TurnEngines.Fallback, (await app.SayAsync(tenant.TenantId, first, "what are your hours?")).Engine);
        var second = await app.StartChatAsync(tenant.TenantId);
        Assert.Equal(TurnEngines.Fallback, (await app.SayAsync(tenant.TenantId, second, "what are your hours?")).Engine);
        Assert.Equal(CircuitState.Open, resilience.StateOf(endpoint));

        var third = await app.StartChatAsync(tenant.TenantId);
        var whileOpen = await app.SayAsync(tenant.TenantId, third, "what are your hours?");
        Assert.Equal(TurnEngines.Fallback, whileOpen.Engine);
        Assert.Contains("open", whileOpen.Reply, StringComparison.OrdinalIgnoreCase); // the offline engine's hours answer
        Assert.Equal(2, app.Script.Requests.Count); // the open circuit did not call the provider

        await Task.Delay(1800);
        app.Script.Enqueue(FakeStep.Say("We're open every day from 8 AM to 8 PM."));
        var fourth = await app.StartChatAsync(tenant.TenantId);
        var recovered = await app.SayAsync(tenant.TenantId, fourth, "what are your hours?");
        Assert.Equal(TurnEngines.Model, recovered.Engine);
        Assert.Equal(CircuitState.Closed, resilience.StateOf(endpoint));

        // A conversation that fell back stays offline.
        Assert.Equal(TurnEngines.Fallback, (await app.SayAsync(tenant.TenantId, first, "thanks")).Engine);
        Assert.Equal(3, app.Script.Requests.Count);
    }
}

public sealed class ProviderKeyTests(LlmAppFactory app) : IClassFixture<LlmAppFactory>
{
    private const string Secret = "sk-live-SECRET-abcd1234";

    private static readonly Actor Admin = new(Guid.NewGuid(), Portal.Domain.Seeding.DemoSeeder.AdminEmail, IsPlatformAdmin: true);

    [Fact]
    public async Task ApiKey_SavedFromTheAdminPage_IsEncryptedAtRest_UsedOnTheWire_AndNeverLogged()
    {
        var store = app.Services.GetRequiredService<LanguageModelSettingsStore>();
        await store.SaveAsync(new LanguageModelSettingsChange(LlmProviders.OpenAICompatible, LlmAppFactory.Model, app.OpenAI.BaseUrl, Secret, false), Admin, CancellationToken.None);

        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT protected_api_key, api_key_last4 FROM language_model_settings", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var stored = reader.GetString(0);
            Assert.DoesNotContain("SECRET", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("abcd1234", stored, StringComparison.Ordinal);
            Assert.Equal("1234", reader.GetString(1));
        }

        var view = await store.DescribeAsync(CancellationToken.None);
        Assert.True(view.ApiKeySet);
        Assert.Equal("1234", view.ApiKeyLast4);
        Assert.DoesNotContain("SECRET", view.ToString(), StringComparison.Ordinal);

        var tenant = await app.CreateTenantAsync("Keyed Dental");
        app.Script.Enqueue(FakeStep.Fail(401), FakeStep.Fail(401));
        var id = await app.StartChatAsync(tenant.TenantId);
        var result = await app.SayAsync(tenant.TenantId, id, "what are your hours?");

        Assert.Equal(TurnEngines.Fallback, result.Engine);
        Assert.Equal("Bearer " + Secret, app.Script.Requests[0].Headers["Authorization"]);
        Assert.Contains(app.Logs.Lines, l => l.Contains("HTTP 401", StringComparison.Ordinal)); // the failure is logged...
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("SECRET", StringComparison.Ordinal)); // ...the key never
    }

    [Fact]
    public async Task AdminPage_ShowsOnlyTheKeysLastFourCharacters_AndIsForPlatformAdminsOnly()
    {
        var store = app.Services.GetRequiredService<LanguageModelSettingsStore>();
        await store.SaveAsync(new LanguageModelSettingsChange(LlmProviders.OpenAICompatible, LlmAppFactory.Model, app.OpenAI.BaseUrl, "sk-page-SECRET-wxyz9876", false), Admin, CancellationToken.None);
        var admin = await app.SignInAsync(Portal.Domain.Seeding.DemoSeeder.AdminEmail, Portal.Domain.Seeding.DemoSeeder.DemoPassword);

        var html = System.Net.WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/language-model"));

        Assert.Contains("set, ends in …9876", html, StringComparison.Ordinal);
        Assert.Contains(LlmAppFactory.Model, html, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", html, StringComparison.Ordinal);
        var tenant = await app.CreateTenantAsync("Nosy Dental");
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        var denied = await owner.GetAsync("/admin/language-model");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Changes_AreAudited_WithoutTheKey_AndRefusedForNonAdmins()
    {
        var store = app.Services.GetRequiredService<LanguageModelSettingsStore>();
        await store.SaveAsync(new LanguageModelSettingsChange(LlmProviders.OpenAICompatible, "audited-model", app.OpenAI.BaseUrl, "sk-audit-SECRET-qrst5678", false), Admin, CancellationToken.None);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>();
            var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.LanguageModelChange).OrderByDescending(e => e.At).FirstAsync();
            Assert.Equal(Admin.Email, entry.ActorEmail);
            Assert.Contains("audited-model", entry.Details, StringComparison.Ordinal);
            Assert.Contains("replaced (ends in 5678)", entry.Details, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET", entry.Details, StringComparison.Ordinal);
        }

        var before = await store.DescribeAsync(CancellationToken.None);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => store.SaveAsync(
            new LanguageModelSettingsChange(LlmProviders.None, null, null, null, true), new Actor(Guid.NewGuid(), "owner@example.com", IsPlatformAdmin: false), CancellationToken.None));
        Assert.Equal(before, await store.DescribeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Settings_WithABadBaseUrl_AreRejectedAndChangeNothing()
    {
        var store = app.Services.GetRequiredService<LanguageModelSettingsStore>();
        var before = await store.DescribeAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            store.SaveAsync(new LanguageModelSettingsChange(LlmProviders.OpenAICompatible, "m", "ftp://nope", null, false), Admin, CancellationToken.None));

        Assert.Contains("BaseUrl", error.ValidationResult.MemberNames);
        Assert.Equal(before, await store.DescribeAsync(CancellationToken.None));
    }
}
