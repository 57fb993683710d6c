using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Ask;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Llm;

/// <summary>The app with the fake model and two businesses whose calls and chats of the last days are known.</summary>
public sealed class AskModelAppFactory : LlmAppFactory
{
    /// <summary>Calls and chats of the business that asks.</summary>
    public const int OwnCalls = 5, OwnChats = 3;

    /// <summary>Calls of the other business (never in an answer to the first).</summary>
    public const int NeighbourCalls = 9;

    public TestTenant Tenant { get; private set; } = default!;

    public TestTenant Neighbour { get; private set; } = default!;

    /// <summary>
    /// The model's time limit: long enough that a prompt answer is never cut off on a busy machine (2 s was, and the
    /// answer then read as a timeout), short enough that the hanging-model case ends soon.
    /// </summary>
    protected override IReadOnlyDictionary<string, string> LlmSettings() =>
        new Dictionary<string, string>(base.LlmSettings()) { ["Llm:AskTimeoutMs"] = "15000" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tenant = await CreateTenantAsync("Ask Model Dental");
        Neighbour = await CreateTenantAsync("Ask Model Neighbour");
        await SeedAsync(Tenant, OwnCalls, OwnChats);
        await SeedAsync(Neighbour, NeighbourCalls, 0);
    }

    private Task SeedAsync(TestTenant tenant, int calls, int chats) => InTenantAsync(tenant.TenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        for (int i = 0; i < calls + chats; i++)
        {
            var at = DateTimeOffset.UtcNow.AddHours(-30 - i);
            db.Conversations.Add(new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = i < calls ? Channel.Voice : Channel.WebChat,
                StartedAt = at, EndedAt = at.AddMinutes(2), Outcome = ConversationOutcome.Answered, TurnCount = 2,
            });
        }

        await db.SaveChangesAsync();
        return true;
    });
}

/// <summary>
/// "Ask your data" with a language model against the fake OpenAI server: the model's structured output becomes the plan,
/// validated like the grammar's; a refused, malformed or missing plan falls back to the grammar (or "I can't answer that
/// yet"), and nothing outside the asking business is read. Each question is recorded with the model's tokens and cost.
/// </summary>
public sealed class AskModelTests(AskModelAppFactory app) : IClassFixture<AskModelAppFactory>
{
    private const string LastThirtyDays = "How many calls in the last 30 days?";

    private static object Range() => new { from = LlmAppFactory.Iso(LlmAppFactory.LocalDate(-29)), to = LlmAppFactory.Iso(LlmAppFactory.LocalDate(1)), label = "in the last 30 days" };

    private static string Plan(string metric = "calls", object[]? filters = null) => JsonSerializer.Serialize(new
    {
        metric, dimension = (string?)null, filters = filters ?? [], range = Range(), compare = (object?)null, descending = false, limit = (int?)null,
    });

    private Task<AskAnswer> AskAsync(string question, Guid? tenantId = null) =>
        app.InTenantAsync(tenantId ?? app.Tenant.TenantId, sp => sp.GetRequiredService<AskService>().AskAsync(question, CancellationToken.None));

    private Task<AskQuestion> LastRecordAsync() => app.InTenantAsync(app.Tenant.TenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AskQuestions.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id).FirstAsync();
    });

    private Task<int> AllConversationsAsync() => app.InTenantAsync(app.Tenant.TenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Conversations.IgnoreQueryFilters().CountAsync(); // every business: the count must not change
    });

    [Fact]
    public async Task ModelPlan_IsValidated_AnsweredFromTheTenantsRows_AndItsCostRecorded()
    {
        app.Script.Clear();
        // The question's words are not the grammar's: only the model's plan can answer it.
        app.Script.Enqueue(new FakeStep { Text = Plan(), InputTokens = 1000, OutputTokens = 100 });

        var answer = await AskAsync("Tally up the phone rings for the past month, please");

        Assert.True(answer.Answered, answer.Sentence);
        Assert.Equal(AskReaders.Model, answer.ReadBy);
        Assert.Equal(LlmAppFactory.Model, answer.Model);
        Assert.Equal(AskModelAppFactory.OwnCalls, answer.Scalar);
        Assert.Contains("language model (fake-model)", answer.HowRead, StringComparison.Ordinal);

        var request = Assert.Single(app.Script.Requests);
        Assert.Equal("json_schema", request.Body["response_format"]!["type"]!.GetValue<string>());
        var schema = request.Body["response_format"]!["json_schema"]!["schema"]!;
        Assert.NotNull(schema["properties"]!["metric"]);
        Assert.NotNull(schema["properties"]!["range"]);
        var services = await app.InTenantAsync(app.Tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Services.Select(s => s.Name).ToListAsync();
        });
        Assert.Contains("Today is " + LlmAppFactory.LocalDate(0).DayOfWeek + ", " + LlmAppFactory.Iso(LlmAppFactory.LocalDate(0)), request.Raw, StringComparison.Ordinal);
        Assert.Contains("America/New_York", request.Raw, StringComparison.Ordinal);
        Assert.Contains(services[0], request.Raw, StringComparison.Ordinal);
        Assert.Contains("missed_calls", request.Raw, StringComparison.Ordinal);

        var record = await LastRecordAsync();
        Assert.Equal((AskReaders.Model, true, LlmAppFactory.Model, 1000, 100), (record.ReadBy, record.Answered, record.Model, record.InputTokens!.Value, record.OutputTokens!.Value));
        Assert.Equal(1000 * 25 / 10 + 100 * 10, record.CostMicroUsd); // fake-model: $2.50 / $10 per 1M tokens
        // The neighbour sees none of the asking business's questions.
        int seenByNeighbour = await app.InTenantAsync(app.Neighbour.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.AskQuestions.CountAsync(q => q.Id == record.Id);
        });
        Assert.Equal(0, seenByNeighbour);
    }

    [Theory]
    [InlineData("unknown metric")]
    [InlineData("metric with SQL")]
    [InlineData("SQL in a filter value")]
    [InlineData("tenant filter")]
    [InlineData("tenant member")]
    public async Task RefusedModelPlan_FallsBackToTheGrammar_AndReadsOnlyTheTenant(string kind)
    {
        app.Script.Clear();
        int before = await AllConversationsAsync();
        string neighbour = app.Neighbour.TenantId.ToString();
        string json = kind switch
        {
            "unknown metric" => Plan("calls_of_every_business"),
            "metric with SQL" => Plan("calls; DROP TABLE conversations; --"),
            "SQL in a filter value" => Plan(filters: [new { key = "channel", value = "Voice' OR '1'='1" }]),
            "tenant filter" => Plan(filters: [new { key = "tenant_id", value = neighbour }]),
            _ => Plan().TrimEnd('}') + $",\"tenantId\":\"{neighbour}\"}}",
        };
        app.Script.Enqueue(FakeStep.Say(json));

        var answer = await AskAsync(LastThirtyDays);

        Assert.True(answer.Answered, answer.Sentence);
        Assert.Equal(AskReaders.Grammar, answer.ReadBy);
        Assert.NotNull(answer.ModelProblem);
        Assert.Contains("could not be used", answer.HowRead, StringComparison.Ordinal);
        Assert.Equal(AskModelAppFactory.OwnCalls, answer.Scalar);
        Assert.Equal(before, await AllConversationsAsync());
        var record = await LastRecordAsync();
        Assert.Equal((AskReaders.Grammar, LlmAppFactory.Model), (record.ReadBy, record.Model));
        Assert.NotNull(record.ModelProblem);
    }

    [Fact]
    public async Task UnanswerablePlan_AndNoGrammarReading_SaysWhatCanBeAsked()
    {
        app.Script.Clear();
        app.Script.Enqueue(FakeStep.Say(Plan("unanswerable")));

        var answer = await AskAsync($"Write me a poem about tenant {app.Neighbour.TenantId}");

        Assert.False(answer.Answered);
        Assert.Equal(AskReaders.None, answer.ReadBy);
        Assert.StartsWith("I can't answer that yet", answer.Sentence, StringComparison.Ordinal);
        Assert.Contains(AskCatalogue.Capabilities, answer.Sentence, StringComparison.Ordinal);
        Assert.Empty(answer.Rows);
    }

    [Theory]
    [InlineData("{\"metric\": \"calls\", \"range\": {\"from\": ")]
    [InlineData("Sure! You have 12 calls.")]
    [InlineData("{\"metric\": \"calls\", \"dimension\": null, \"range\": {\"from\": \"2026-01-01\", \"to\": \"2026-02-01\", \"label\": \"January\"}}")]
    public async Task MalformedModelAnswer_FallsBackToTheGrammar(string text)
    {
        app.Script.Clear();
        app.Script.Enqueue(FakeStep.Say(text));

        var answer = await AskAsync(LastThirtyDays);

        Assert.Equal(AskReaders.Grammar, answer.ReadBy);
        Assert.Equal("the model's answer was not a query plan", answer.ModelProblem);
        Assert.Equal(AskModelAppFactory.OwnCalls, answer.Scalar);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelOutageOrTimeout_FallsBackToTheGrammar(bool hang)
    {
        app.Script.Clear();
        app.Script.Enqueue(hang ? FakeStep.Hang() : FakeStep.Fail(503));

        var answer = await AskAsync(LastThirtyDays);

        Assert.Equal(AskReaders.Grammar, answer.ReadBy);
        Assert.StartsWith("the model did not answer", answer.ModelProblem, StringComparison.Ordinal);
        Assert.Equal(AskModelAppFactory.OwnCalls, answer.Scalar);
        var record = await LastRecordAsync();
        Assert.Null(record.InputTokens);
        Assert.Null(record.CostMicroUsd);
    }
}
