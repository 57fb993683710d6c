using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Insights;

namespace Portal.IntegrationTests.Llm;

/// <summary>
/// The language-model path of the post-call analysis against the fake OpenAI server: one structured-output request with
/// the JSON schema over the redacted transcript, the validated answer stored with its cost; an invalid answer or a failed
/// call leaves the offline analysis.
/// </summary>
public sealed class ModelInsightTests(LlmAppFactory app) : IClassFixture<LlmAppFactory>
{
    private async Task<(Guid TenantId, Guid ConversationId)> EndedChatAsync(string name)
    {
        var tenant = await app.CreateTenantAsync(name);
        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var at = DateTimeOffset.UtcNow.AddMinutes(-10);
            var conversation = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.WebChat, StartedAt = at, EndedAt = at.AddMinutes(3),
                Outcome = ConversationOutcome.Answered, TurnCount = 4,
            };
            db.Conversations.Add(conversation);
            string[] texts = ["How much is a cleaning?", "A cleaning is 120 dollars.", "Please email me at ann.lee@example.com", "Sure."];
            for (int i = 0; i < texts.Length; i++)
            {
                db.Turns.Add(new Turn
                {
                    TenantId = tenant.TenantId, ConversationId = conversation.Id, Sequence = i, Speaker = i % 2 == 0 ? Speaker.Customer : Speaker.Agent,
                    Text = texts[i], StartedAt = at.AddSeconds(i), CompletedAt = at.AddSeconds(i + 1),
                });
            }

            await db.SaveChangesAsync();
            return conversation.Id;
        });
        return (tenant.TenantId, id);
    }

    private Task<ConversationInsight?> AnalyzeAsync(Guid tenantId, Guid conversationId) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<ConversationInsightService>().AnalyzeAsync(conversationId, CancellationToken.None));

    private static string Answer(double sentiment = -0.4, string intent = "price") => JsonSerializer.Serialize(new
    {
        summary = "A new patient asked the price of a cleaning and did not book yet.",
        intents = new[] { intent },
        sentiment,
        sentimentTurns = new[] { 2 },
        leadScore = 55,
        leadReasons = new[] { "Asked about prices", "New patient" },
        followUpNeeded = true,
        followUpReason = "Wants details by email",
        fields = new { patient = "new", insurance = (string?)null },
    });

    [Fact]
    public async Task Model_AnswersWithTheSchema_IsValidated_StoredWithItsCost()
    {
        app.Script.Clear();
        var (tenantId, conversationId) = await EndedChatAsync("Model Insight Dental");
        app.Script.Enqueue(new FakeStep { Text = Answer(), InputTokens = 1000, OutputTokens = 200 });

        var insight = await AnalyzeAsync(tenantId, conversationId);

        Assert.NotNull(insight);
        Assert.Equal("model", insight.Engine);
        Assert.Equal((long?)(1000 * 25 / 10 + 200 * 10), insight.CostMicroUsd); // fake-model: $2.50 / $10 per 1M tokens = 2.5 / 10 µ$ per token
        Assert.Equal("A new patient asked the price of a cleaning and did not book yet.", insight.Summary);
        Assert.Equal(new[] { "price" }, insight.Intents);
        Assert.Equal(-0.4, insight.Sentiment);
        Assert.Equal(55, insight.LeadScore);
        Assert.True(insight.FollowUpNeeded);
        Assert.Equal("new", JsonDocument.Parse(insight.Fields).RootElement.GetProperty("patient").GetString());

        var request = Assert.Single(app.Script.Requests);
        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("conversation_insight", format["json_schema"]!["name"]!.GetValue<string>());
        Assert.NotNull(format["json_schema"]!["schema"]!["properties"]!["fields"]!["properties"]!["insurance"]);
        // The model reads the redacted transcript only.
        Assert.DoesNotContain("ann.lee@example.com", request.Raw, StringComparison.Ordinal);
        Assert.Contains("How much is a cleaning", request.Raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.0, "price")]
    [InlineData(0.2, "buy_a_boat")]
    public async Task InvalidAnswer_LeavesTheOfflineAnalysis(double sentiment, string intent)
    {
        app.Script.Clear();
        var (tenantId, conversationId) = await EndedChatAsync($"Model Invalid {intent}");
        app.Script.Enqueue(FakeStep.Say(Answer(sentiment, intent)));

        var insight = await AnalyzeAsync(tenantId, conversationId);

        Assert.NotNull(insight);
        Assert.Equal("offline", insight.Engine);
        Assert.Null(insight.CostMicroUsd);
        Assert.Contains(InsightIntents.Price, insight.Intents);
        Assert.InRange(insight.Sentiment, -1, 1);
        Assert.Single(app.Script.Requests);
    }

    [Fact]
    public async Task FailedCall_LeavesTheOfflineAnalysis()
    {
        app.Script.Clear();
        var (tenantId, conversationId) = await EndedChatAsync("Model Down Dental");
        app.Script.Enqueue(FakeStep.Fail(500));

        var insight = await AnalyzeAsync(tenantId, conversationId);

        Assert.NotNull(insight);
        Assert.Equal("offline", insight.Engine);
        Assert.NotEmpty(insight.Summary);
    }
}
