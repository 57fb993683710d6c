using System.Globalization;
using System.Net;
using Portal.Billing.Pricing;
using Portal.Data.Entities;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>The pricing page's numbers against the billing plan terms, worked out independently here.</summary>
public sealed class PricingPageTests(PublicSiteFactory app) : IClassFixture<PublicSiteFactory>
{
    private static string Dollars(decimal dollars) => dollars == decimal.Truncate(dollars)
        ? dollars.ToString("$#,0", CultureInfo.GetCultureInfo("en-US"))
        : dollars.ToString("$#,0.00", CultureInfo.GetCultureInfo("en-US"));

    [Fact]
    public void PlanPricing_Annual_IsTwentyPercentOffTheMonthlyCommitmentAndRate()
    {
        foreach (var terms in PlanTerms.All)
        {
            // Independent: list price = committed minutes × rate + platform fee, in dollars; annual = 80 % of it.
            var listDollars = (terms.CommittedMinutes * terms.CentsPerMinute / 100m) + (terms.PlatformFeeCents / 100m);
            var monthly = PlanPricing.For(terms, BillingInterval.Monthly);
            var annual = PlanPricing.For(terms, BillingInterval.Annual);
            Assert.Equal(listDollars, monthly.MonthlyCents / 100m);
            Assert.Equal(terms.CentsPerMinute * 10_000L, monthly.MicrosPerMinute);
            if (listDollars == 0)
            {
                Assert.Equal(BillingInterval.Monthly, annual.Interval); // pay-as-you-go has no commitment to discount
                continue;
            }

            Assert.Equal(Math.Round(listDollars * 0.8m, 2, MidpointRounding.AwayFromZero), annual.MonthlyCents / 100m);
            Assert.Equal(annual.MonthlyCents * 12, annual.BilledCents);
            Assert.Equal((listDollars * 12) - (annual.MonthlyCents * 12 / 100m), annual.SavingsPerYearCents / 100m);
            Assert.Equal(terms.CentsPerMinute * 0.8m, annual.MicrosPerMinute / 10_000m);
        }
    }

    [Fact]
    public async Task PricingPage_ShowsAnnualByDefault_AndBothIntervalsComputedFromPlanTerms()
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/pricing");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("id=\"interval-annual\" value=\"annual\" checked", html);
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        foreach (var terms in PlanTerms.All)
        {
            Assert.Contains(terms.Name, html, StringComparison.Ordinal);
            var listDollars = (terms.CommittedMinutes * terms.CentsPerMinute / 100m) + (terms.PlatformFeeCents / 100m);
            if (listDollars == 0)
            {
                Assert.Matches($"data-testid=\"price-{terms.Plan}\"><span class=\"amount\">{terms.CentsPerMinute}¢</span>", html);
                continue;
            }

            var annual = Math.Round(listDollars * 0.8m, 2, MidpointRounding.AwayFromZero);
            Assert.Contains($"data-testid=\"price-annual-{terms.Plan}\"><span class=\"amount\">{Dollars(annual)}</span> / month", html, StringComparison.Ordinal);
            Assert.Contains($"data-testid=\"price-monthly-{terms.Plan}\"><span class=\"amount\">{Dollars(listDollars)}</span> / month", html, StringComparison.Ordinal);
            Assert.Contains($"billed {Dollars(annual * 12)} a year", html, StringComparison.Ordinal);
        }
    }
}
