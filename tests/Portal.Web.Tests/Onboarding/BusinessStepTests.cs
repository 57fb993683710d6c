using Bunit;
using Portal.Data.Entities;
using Portal.Domain.Onboarding;
using Portal.Web.Components.Pages.Onboarding;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Onboarding;

/// <summary>Wizard step 1 (the business): validation messages, the starter template and what editing it changes.</summary>
public sealed class BusinessStepTests : PortalTestContext
{
    private VerticalTemplate? _template;

    private IRenderedComponent<BusinessStep> RenderStep(BusinessStep.FormModel model, VerticalTemplate? template = null)
    {
        _template = template;
        return Render<BusinessStep>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.Template, template)
            .Add(c => c.TemplateChanged, t => _template = t)
            .Add(c => c.TimeZones, new[] { "America/New_York", "America/Los_Angeles" }));
    }

    [Fact]
    public void UntouchedEmptyForm_ShowsNoErrors()
    {
        var cut = RenderStep(new BusinessStep.FormModel());

        Assert.DoesNotContain("Enter your business name.", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Enter the address callers should come to.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterAnAttemptToContinue_MissingNameAndAddress_AreShown()
    {
        var model = new BusinessStep.FormModel();
        Assert.Equal("Enter your business name.", model.Validate());

        var cut = RenderStep(model);

        Assert.Contains("Enter your business name.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Enter the address callers should come to.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypingTheName_ClearsItsError()
    {
        var model = new BusinessStep.FormModel { Touched = true, Address = "1 Main St" };
        var cut = RenderStep(model);
        Assert.Contains("Enter your business name.", cut.Markup, StringComparison.Ordinal);

        await cut.Find("#business-name").ChangeAsync("Acme Dental");

        Assert.Equal("Acme Dental", model.Name);
        Assert.DoesNotContain("Enter your business name.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPhone_ShowsAnExample_ValidPhoneDoesNot()
    {
        var model = new BusinessStep.FormModel();
        var cut = RenderStep(model);

        await cut.Find("#business-phone").ChangeAsync("12");
        Assert.Contains("Enter a valid phone number, e.g. (212) 555-0142.", cut.Markup, StringComparison.Ordinal);

        await cut.Find("#business-phone").ChangeAsync("(212) 555-0142");
        Assert.DoesNotContain("Enter a valid phone number", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1 Main St", "", "America/New_York", "Enter your business name.")]
    [InlineData("Acme", " ", "", "America/New_York", "Enter your street address.")]
    [InlineData("Acme", "1 Main St", "555", "America/New_York", "The business phone is not a valid phone number.")]
    [InlineData("Acme", "1 Main St", "", "Mars/Olympus_Mons", "Choose a time zone.")]
    [InlineData("Acme", "1 Main St", "+12125550142", "America/New_York", null)]
    public void Validate_GivesTheFirstProblem(string name, string address, string phone, string zone, string? expected)
    {
        var model = new BusinessStep.FormModel { Name = name, Address = address, Phone = phone, TimeZoneId = zone };

        Assert.Equal(expected, model.Validate());
        Assert.True(model.Touched);
    }

    [Fact]
    public void FirstRender_ProposesTheIndustryTemplate()
    {
        RenderStep(new BusinessStep.FormModel { Industry = Industry.Dental });

        Assert.NotNull(_template);
        Assert.Equal(Industry.Dental, _template.Industry);
        Assert.NotEmpty(_template.Services);
    }

    [Fact]
    public async Task TemplateServices_AreListed_AndRemovingOneDropsIt()
    {
        var template = VerticalTemplates.For(Industry.Dental);
        var cut = RenderStep(new BusinessStep.FormModel(), template);

        var rows = cut.FindAll("[data-testid=template-services] tbody tr");
        Assert.Equal(template.Services.Count, rows.Count);

        await cut.FindAll("button[aria-label='Remove service']")[0].ClickAsync();

        Assert.NotNull(_template);
        Assert.Equal(template.Services.Skip(1).Select(s => s.Name), _template.Services.Select(s => s.Name));
    }

    [Fact]
    public async Task GreetingPreview_UsesTheBusinessName_OrSaysYourBusiness()
    {
        var template = VerticalTemplates.For(Industry.Dental) with { Greeting = "Thanks for calling {businessName}, this is {agentName}." };
        var model = new BusinessStep.FormModel();
        var cut = RenderStep(model, template);
        Assert.Contains("Thanks for calling your business, this is Ava.", cut.Markup, StringComparison.Ordinal);

        await cut.Find("#business-name").ChangeAsync("Acme Dental");

        Assert.Contains("Thanks for calling Acme Dental, this is Ava.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedBusiness_ExplainsTheTemplate_AndOffersNoServiceTable()
    {
        var cut = RenderStep(new BusinessStep.FormModel { Locked = true, Industry = Industry.Hvac }, VerticalTemplates.For(Industry.Hvac));

        Assert.Contains("created from the hvac template", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=template-services]"));
        Assert.Null(_template is { Industry: Industry.Dental } ? _template : null);
    }

    [Fact]
    public async Task RenamingAService_ReportsTheEditedTemplate()
    {
        var template = VerticalTemplates.For(Industry.Dental);
        var cut = RenderStep(new BusinessStep.FormModel(), template);

        await cut.Find("[data-testid=template-services] tbody tr td input").ChangeAsync("Deep clean");

        Assert.NotNull(_template);
        Assert.Equal("Deep clean", _template.Services[0].Name);
        Assert.Equal(template.Services.Count, _template.Services.Count);
    }
}
