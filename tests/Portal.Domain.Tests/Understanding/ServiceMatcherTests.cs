using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class ServiceMatcherTests
{
    private static ServiceCandidate S(string name, params string[] keywords) =>
        new(new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)), name, keywords);

    private static readonly ServiceCandidate[] Dental =
        [S("Cleaning", "teeth cleaning"), S("Consultation"), S("Emergency"), S("Whitening"), S("Filling")];

    private static readonly ServiceCandidate[] Salon = [S("Haircut"), S("Color"), S("Highlights"), S("Manicure"), S("Pedicure")];

    private static readonly ServiceCandidate[] Hvac =
        [S("AC Repair", "air conditioner", "ac", "cooling"), S("Heating Repair"), S("Maintenance"), S("Emergency Service")];

    public static TheoryData<string, string, string> Matches => new()
    {
        // Dental
        { "dental", "I need a cleaning", "Cleaning" },
        { "dental", "do you do cleanings", "Cleaning" },
        { "dental", "can I book a clening", "Cleaning" },
        { "dental", "teeth cleaning please", "Cleaning" },
        { "dental", "I want my teeth cleaned", "Cleaning" },
        { "dental", "how much is whitening", "Whitening" },
        { "dental", "I want whiter teeth", "Whitening" },
        { "dental", "i think i have a cavity", "Filling" },
        { "dental", "I need a filing", "Filling" },
        { "dental", "my tooth hurts really bad, I think it's an emergency", "Emergency" },
        { "dental", "I chipped a tooth, it's a toothache", "Emergency" },
        { "dental", "new patient exam", "Consultation" },
        { "dental", "consultaion", "Consultation" },
        // Salon
        { "salon", "I need a hair cut", "Haircut" },
        { "salon", "can I get a trim", "Haircut" },
        { "salon", "haircuts for two kids", "Haircut" },
        { "salon", "I want to dye my hair", "Color" },
        { "salon", "colour touch up for my roots", "Color" },
        { "salon", "balayage", "Highlights" },
        { "salon", "highlight", "Highlights" },
        { "salon", "gel nails please", "Manicure" },
        { "salon", "a manicure", "Manicure" },
        { "salon", "pedicures for me and my mom", "Pedicure" },
        { "salon", "pedicrue", "Pedicure" },
        // HVAC
        { "hvac", "my AC is broken", "AC Repair" },
        { "hvac", "the air conditioner is blowing warm air", "AC Repair" },
        { "hvac", "need someone to look at my furnace", "Heating Repair" },
        { "hvac", "the heater won't turn on", "Heating Repair" },
        { "hvac", "heating repair", "Heating Repair" },
        { "hvac", "time for my annual tune up", "Maintenance" },
        { "hvac", "maintenence visit", "Maintenance" },
        { "hvac", "I smell gas", "Emergency Service" },
        { "hvac", "is there emergency service tonight", "Emergency Service" },
    };

    private static ServiceCandidate[] List(string vertical) => vertical switch
    {
        "dental" => Dental,
        "salon" => Salon,
        _ => Hvac,
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void Match_finds_the_service_callers_mean(string vertical, string utterance, string expected)
    {
        var match = ServiceMatcher.Match(utterance, List(vertical));

        Assert.Equal(expected, match?.Service.Name);
        Assert.InRange(match!.Score, ServiceMatcher.MinimumScore, 1.0);
    }

    [Theory]
    [InlineData("dental", "I want to book an appointment")]
    [InlineData("dental", "hello")]
    [InlineData("dental", "do you take Delta Dental insurance?")]
    [InlineData("dental", "I need a haircut")]
    [InlineData("salon", "I need an oil change")]
    [InlineData("salon", "tomorrow at 3")]
    [InlineData("hvac", "I need a repair")]
    [InlineData("hvac", "can I get a manicure")]
    [InlineData("dental", "a cleaning and a filling")]
    [InlineData("hvac", "")]
    public void Match_returns_null_for_unrelated_or_ambiguous_requests(string vertical, string utterance)
    {
        Assert.Null(ServiceMatcher.Match(utterance, List(vertical)));
    }

    [Fact]
    public void Match_gives_the_exact_name_a_full_score()
    {
        Assert.Equal(1.0, ServiceMatcher.Match("whitening", Dental)!.Score);
    }

    [Fact]
    public void Rank_lists_both_candidates_of_an_ambiguous_request_best_first()
    {
        var ranked = ServiceMatcher.Rank("a cleaning and a filling", Dental);

        Assert.Equal(["Cleaning", "Filling"], ranked.Take(2).Select(m => m.Service.Name));
        Assert.Equal(ranked[0].Score, ranked[1].Score);
    }

    [Fact]
    public void Rank_orders_partial_matches_below_full_ones()
    {
        var ranked = ServiceMatcher.Rank("my ac needs repair", Hvac);

        Assert.Equal("AC Repair", ranked[0].Service.Name);
        Assert.True(ranked[0].Score > ranked[1].Score);
        Assert.Equal("Heating Repair", ranked[1].Service.Name);
    }

    [Fact]
    public void Rank_returns_empty_for_empty_service_list()
    {
        Assert.Empty(ServiceMatcher.Rank("cleaning", []));
    }
}
