using Portal.Rag.Crawling;

namespace Portal.Rag.Tests.Crawling;

public sealed class RobotsTxtTests
{
    [Fact]
    public void LongestMatchWins_AllowWinsTies()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /shop\nAllow: /shop/menu\nDisallow: /shop/menu/old\nAllow: /tie\nDisallow: /tie\n", "PortalBot");

        Assert.False(robots.IsAllowed("/shop/cart"));
        Assert.True(robots.IsAllowed("/shop/menu"));
        Assert.False(robots.IsAllowed("/shop/menu/old/page"));
        Assert.True(robots.IsAllowed("/tie"));
        Assert.True(robots.IsAllowed("/about"));
    }

    [Fact]
    public void OwnGroup_ReplacesStarGroup_CaseInsensitive_AndMergesRepeatedGroups()
    {
        const string text = """
            User-agent: *
            Disallow: /

            User-agent: portalbot/2.0
            Disallow: /private   # staff only

            User-agent: OtherBot
            Disallow: /everything

            User-agent: PORTALBOT
            Disallow: /drafts
            """;
        var robots = RobotsTxt.Parse(text, "PortalBot");

        Assert.True(robots.IsAllowed("/menu"));
        Assert.False(robots.IsAllowed("/private/x"));
        Assert.False(robots.IsAllowed("/drafts/1"));
        Assert.True(robots.IsAllowed("/everything"));
        Assert.Equal(2, robots.RuleCount);
    }

    [Fact]
    public void SeveralUserAgentLines_ShareOneGroup()
    {
        var robots = RobotsTxt.Parse("User-agent: a\nUser-agent: PortalBot\nDisallow: /x\n", "PortalBot");
        Assert.False(robots.IsAllowed("/x"));
    }

    [Fact]
    public void WildcardsAndEndAnchor()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\nDisallow:\n", "PortalBot");

        Assert.False(robots.IsAllowed("/files/menu.pdf"));
        Assert.True(robots.IsAllowed("/files/menu.pdf.html"));
        Assert.False(robots.IsAllowed("/menu?session=42"));
        Assert.True(robots.IsAllowed("/menu?lang=en"));
    }

    [Fact]
    public void NoMatchingGroup_AllowsAll_AndRobotsTxtIsAlwaysAllowed()
    {
        Assert.True(RobotsTxt.Parse("User-agent: OtherBot\nDisallow: /\n", "PortalBot").IsAllowed("/anything"));
        Assert.False(RobotsTxt.DisallowAll.IsAllowed("/"));
        Assert.True(RobotsTxt.DisallowAll.IsAllowed("/robots.txt"));
    }
}
