using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Components.Pages.Knowledge;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Knowledge;

/// <summary>The Knowledge page on the real services: the document list, the empty states, asking, deleting.</summary>
public sealed class KnowledgePageTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public KnowledgePageTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    [Fact]
    public async Task StarterFaqs_AreListed_OneRowEach()
    {
        await _app.CreateTenantAsync();
        var titles = await _app.DbAsync(db => db.KnowledgeDocuments.Select(d => d.Title).ToListAsync());
        Assert.NotEmpty(titles);

        var cut = Render<KnowledgePage>();

        cut.WaitForAssertion(() => Assert.Equal(titles.Count, cut.FindAll("[data-testid=document-row]").Count));
        Assert.Contains(titles[0], cut.Find("[data-testid=documents-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutDocuments_ShowsNoKnowledgeYet_AndNoGaps()
    {
        await _app.CreateTenantAsync("Empty Shelf Books");
        await _app.DbAsync(db => db.KnowledgeDocuments.ExecuteDeleteAsync());

        var cut = Render<KnowledgePage>();

        cut.WaitForAssertion(() => Assert.Contains("No knowledge yet", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=document-row]"));
        Assert.Contains("No gaps", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskButton_IsDisabledUntilAQuestionIsTyped()
    {
        await _app.CreateTenantAsync();
        var cut = Render<KnowledgePage>();
        cut.WaitForElement("[data-testid=ask-submit]");
        Assert.True(cut.Find("[data-testid=ask-submit]").HasAttribute("disabled"));

        await cut.Find("#ask-input").InputAsync("Do you take insurance?");

        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=ask-submit]").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Delete_AfterConfirming_RemovesTheDocument()
    {
        await _app.CreateTenantAsync();
        var before = await _app.DbAsync(db => db.KnowledgeDocuments.CountAsync());
        var providers = RenderWithProviders();
        var cut = Render<KnowledgePage>();
        cut.WaitForAssertion(() => Assert.Equal(before, cut.FindAll("[data-testid=document-row]").Count));

        cut.ClickSettled("[data-testid=document-delete]", 0);
        providers.WaitForAssertion(() => Assert.Contains("Delete from knowledge?", providers.Markup, StringComparison.Ordinal));
        await providers.FindAll("button").First(b => b.TextContent.Trim() == "Delete").ClickAsync();

        cut.WaitForAssertion(() => Assert.Equal(before - 1, cut.FindAll("[data-testid=document-row]").Count));
        Assert.Equal(before - 1, await _app.DbAsync(db => db.KnowledgeDocuments.CountAsync()));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsEverything()
    {
        await _app.CreateTenantAsync();
        var before = await _app.DbAsync(db => db.KnowledgeDocuments.CountAsync());
        var providers = RenderWithProviders();
        var cut = Render<KnowledgePage>();
        cut.WaitForAssertion(() => Assert.Equal(before, cut.FindAll("[data-testid=document-row]").Count));

        cut.ClickSettled("[data-testid=document-delete]", 0);
        providers.WaitForAssertion(() => Assert.Contains("Delete from knowledge?", providers.Markup, StringComparison.Ordinal));
        await providers.FindAll("button").First(b => b.TextContent.Trim() == "Cancel").ClickAsync();

        providers.WaitForAssertion(() => Assert.DoesNotContain("Delete from knowledge?", providers.Markup, StringComparison.Ordinal));
        Assert.Equal(before, cut.FindAll("[data-testid=document-row]").Count);
        Assert.Equal(before, await _app.DbAsync(db => db.KnowledgeDocuments.CountAsync()));
    }
}
