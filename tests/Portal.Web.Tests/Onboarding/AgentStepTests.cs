using Bunit;
using Portal.Data.Entities;
using Portal.Web.Components.Pages.Onboarding;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Onboarding;

/// <summary>Wizard step "your agent": validation messages and what typing changes on the agent.</summary>
public sealed class AgentStepTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    public AgentStepTests(PortalServicesFixture fixture)
        : base(fixture)
    {
    }

    private IRenderedComponent<AgentStep> RenderStep(AgentPersona agent) =>
        Render<AgentStep>(p => p.Add(c => c.Agent, agent).Add(c => c.BusinessName, "Acme Dental"));

    [Fact]
    public void EmptyNameAndGreeting_ShowTheirMessages()
    {
        var cut = RenderStep(new AgentPersona { Name = "", Greeting = "" });

        Assert.Contains("Give your agent a name.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Write a greeting.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypingAName_UpdatesTheAgent_AndClearsTheMessage()
    {
        var agent = new AgentPersona { Name = "", Greeting = "Hi" };
        var cut = RenderStep(agent);

        await cut.Find("#agent-name").ChangeAsync("Rosa");

        Assert.Equal("Rosa", agent.Name);
        Assert.DoesNotContain("Give your agent a name.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidTransferNumber_ShowsAMessage_EmptyIsFine()
    {
        var cut = RenderStep(new AgentPersona { Name = "Ava", Greeting = "Hi", TransferNumber = "12" });
        Assert.Contains("Enter a valid phone number.", cut.Markup, StringComparison.Ordinal);

        cut = RenderStep(new AgentPersona { Name = "Ava", Greeting = "Hi", TransferNumber = null });
        Assert.DoesNotContain("Enter a valid phone number.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChoosingAPersonality_ChangesTheAgent()
    {
        var agent = new AgentPersona { Name = "Ava", Greeting = "Hi", Personality = Personality.Friendly };
        var cut = RenderStep(agent);
        var other = Enum.GetValues<Personality>().First(p => p != Personality.Friendly);

        await cut.FindAll("input[type=radio]").First(r => r.ParentElement!.ParentElement!.TextContent.Contains(other.ToString(), StringComparison.Ordinal)).ClickAsync();

        Assert.Equal(other, agent.Personality);
    }
}
