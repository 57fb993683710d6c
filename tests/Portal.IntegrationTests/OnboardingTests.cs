using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

public sealed class OnboardingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task OwnerWithoutABusiness_IsSentToTheWizard_FromAnyPage()
    {
        var email = $"{Guid.NewGuid():N}@new.example";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "New Owner" };
            Assert.True((await users.CreateAsync(user, PortalAppFactory.Password)).Succeeded);
            await users.AddToRoleAsync(user, Roles.BusinessOwner);
        }

        var client = await app.SignInAsync(email, PortalAppFactory.Password);
        foreach (var path in new[] { "/", "/bookings", "/conversations" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith("/onboarding", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var wizard = await client.GetStringAsync("/onboarding");
        Assert.Contains("Set up your AI receptionist", wizard, StringComparison.Ordinal);
        Assert.Contains("Business name", wizard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithAnExistingEmail_RevealsNothing_AndSendsTheCheckYourEmailPage()
    {
        var tenant = await app.CreateTenantAsync("Dup Dental");
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/Account/Register");
        var token = System.Text.RegularExpressions.Regex.Match(page, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.DisplayName"] = "Someone",
            ["Input.Email"] = tenant.Email,
            ["Input.Password"] = "Another!Passw0rd",
        });
        // Issue 14: the same answer as for a new address (no account enumeration); the owner gets an email instead.
        var response = await client.PostAsync("/Account/Register", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/Account/RegisterConfirmation", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
