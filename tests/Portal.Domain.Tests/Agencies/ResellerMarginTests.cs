using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.Domain.Tests.Agencies;

public sealed class ResellerMarginTests
{
    // The published reseller price list, written out independently of ResellerPricing: (fee cents, included minutes, overage cents).
    private static readonly Dictionary<ResellerTier, (long Fee, int Included, int Overage)> PriceList = new()
    {
        [ResellerTier.Starter] = (99_00, 500, 12),
        [ResellerTier.Growth] = (199_00, 1_500, 10),
        [ResellerTier.Enterprise] = (299_00, 5_000, 8),
    };

    [Theory]
    [InlineData(ResellerTier.Starter, 0)]
    [InlineData(ResellerTier.Starter, 500)]
    [InlineData(ResellerTier.Starter, 501)]
    [InlineData(ResellerTier.Starter, 1_234)]
    [InlineData(ResellerTier.Growth, 1_499)]
    [InlineData(ResellerTier.Growth, 2_000)]
    [InlineData(ResellerTier.Enterprise, 5_000)]
    [InlineData(ResellerTier.Enterprise, 7_777)]
    public void Margin_MatchesAnIndependentCalculation(ResellerTier tier, long minutes)
    {
        var plan = new AgencyClientPlan { Tier = tier, MonthlyFeeCents = 249_00, IncludedMinutes = 800, OverageCentsPerMinute = 25 };

        var margin = ResellerPricing.Margin(plan, minutes);

        var (fee, included, overage) = PriceList[tier];
        long wholesale = fee;
        for (var minute = included + 1; minute <= minutes; minute++)
        {
            wholesale += overage;
        }

        long charge = 249_00;
        for (var minute = 801; minute <= minutes; minute++)
        {
            charge += 25;
        }

        Assert.Equal(wholesale, margin.WholesaleCents);
        Assert.Equal(charge, margin.ChargeCents);
        Assert.Equal(charge - wholesale, margin.MarginCents);
    }

    [Fact]
    public void Margin_StarterAt600Minutes_IsTheWorkedExample()
    {
        // Client pays $149 for 300 minutes and $0.20 beyond; the agency pays Starter ($99, 500 min, $0.12).
        var plan = new AgencyClientPlan { Tier = ResellerTier.Starter, MonthlyFeeCents = 14_900, IncludedMinutes = 300, OverageCentsPerMinute = 20 };

        var margin = ResellerPricing.Margin(plan, 600);

        Assert.Equal(14_900 + (300 * 20), margin.ChargeCents); // $209.00
        Assert.Equal(9_900 + (100 * 12), margin.WholesaleCents); // $111.00
        Assert.Equal(9_800, margin.MarginCents); // $98.00
    }

    [Fact]
    public void Tiers_AreThePublishedOnes()
    {
        Assert.Equal(PriceList.Keys.Order(), ResellerPricing.All.Select(t => t.Tier));
        foreach (var terms in ResellerPricing.All)
        {
            Assert.Equal(PriceList[terms.Tier], (terms.MonthlyFeeCents, terms.IncludedMinutes, terms.OverageCentsPerMinute));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    public void Minutes_RoundUpToWholeMinutes(long seconds, long minutes) => Assert.Equal(minutes, ResellerPricing.Minutes(seconds));

    [Fact]
    public void Csv_HasOneRowPerClientAndTheTotals()
    {
        var plan = new AgencyClientPlan { Tier = ResellerTier.Starter, MonthlyFeeCents = 14_900, IncludedMinutes = 300, OverageCentsPerMinute = 20 };
        var month = new AgencyMonth(DateTimeOffset.UnixEpoch, [
            new AgencyClientUsage(Guid.NewGuid(), "=Evil, \"Co\"", Portal.Data.Entities.TenantStatus.Active, 3, 1,
                new ClientPrice(plan.Tier, plan.MonthlyFeeCents, plan.IncludedMinutes, plan.OverageCentsPerMinute), ResellerPricing.Margin(plan, 600)),
        ]);

        var lines = AgencyUsage.ToCsv(month).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.Equal("\"'=Evil, \"\"Co\"\"\",Active,3,600,300,1,209.00,111.00,98.00", lines[1]);
        Assert.Equal("Total,,3,600,,1,209.00,111.00,98.00", lines[2]);
    }
}
