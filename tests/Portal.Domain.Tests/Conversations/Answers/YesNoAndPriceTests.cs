using Portal.Data.Entities;
using static Portal.Domain.Tests.Conversations.Answers.AnswerBusinesses;

namespace Portal.Domain.Tests.Conversations.Answers;

/// <summary>
/// Yes/no questions get yes or no first; the price of a variant the caller names comes from the knowledge that names it,
/// not from the nearest service; "ballpark", "roughly", "what would it run me" are price questions.
/// </summary>
public sealed class YesNoAndPriceTests
{
    /// <summary>Business, yes/no question, "Yes" or "No", a fragment that must follow.</summary>
    public static TheoryData<string, string, string, string> YesNoQuestions => new()
    {
        { Salon, "do you do balayage?", "Yes", "balayage is part of our Highlights service" },
        { Salon, "do you guys do foils?", "Yes", "$160" },
        { Salon, "do you take checks?", "No", "don't take checks" },
        { Salon, "can I pay cash?", "Yes", "cash" },
        { Salon, "does Maya work on Saturdays?", "Yes", "Maya works Tuesday to Saturday" },
        { Salon, "do you do gel nails", "Yes", "Manicure" },
        { Dentist, "do you accept Medicaid?", "No", "do not accept Medicaid" },
        { Dentist, "are you in network with Cigna?", "Yes", "Cigna" },
        { Dentist, "do you do crowns?", "Yes", "$1,200" },
        { Dentist, "do you see kids?", "Yes", "children from age three" },
        { Garage, "do you work on motorcycles?", "No", "motorcycles" },
        { Garage, "do you offer a shuttle?", "Yes", "free shuttle" },
        { Garage, "do you do brake pads?", "Yes", "Brake Service" },
        { Garage, "is there a warranty on repairs?", "Yes", "12 month" },
        { Therapist, "do you offer telehealth?", "Yes", "video sessions" },
        { Therapist, "do you do couples therapy?", "Yes", "$210" },
        { Therapist, "does Dr. Lee specialize in trauma?", "Yes", "anxiety and trauma" },
    };

    [Theory]
    [MemberData(nameof(YesNoQuestions))]
    public async Task YesNoQuestion_GetsYesOrNoFirst(string business, string question, string answer, string fragment)
    {
        foreach (var channel in new[] { Channel.WebChat, Channel.Voice })
        {
            var h = Create(business, channel, instructions: "");
            var reply = await h.SayAsync(question);

            Assert.StartsWith(answer + ",", reply.Text, StringComparison.Ordinal);
            Assert.Contains(fragment, reply.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Business, question naming a variant, its price in the knowledge, the nearest service's price (never said).</summary>
    public static TheoryData<string, string, string, string> VariantPrices => new()
    {
        { Salon, "price for a kid's cut?", "$30", "$62" },
        { Salon, "how much do you charge for a child's haircut", "$30", "$62" },
        { Salon, "what's a men's cut cost", "$45", "$62" },
        { Salon, "how much for a mens haircut", "$45", "$62" },
        { Salon, "what do kids haircuts run", "$30", "$62" },
        { Dentist, "how much is a crown on a back tooth?", "$1,450", "$1,200 " },
        { Dentist, "what does a molar crown cost", "$1,450", "It's $1,200" },
        { Dentist, "how much is a cleaning for my kid?", "$80", "$120" },
        { Dentist, "price of a children's cleaning", "$80", "$120" },
        { Dentist, "how much are silver fillings", "$150", "It's $180" },
        { Garage, "what would a synthetic oil change run me?", "$79", "$49" },
        { Garage, "how much is synthetic oil", "$79", "$49" },
        { Garage, "how much are brakes for my truck?", "$249", "$189" },
        { Garage, "brake pads for an SUV, how much?", "$249", "$189" },
        { Therapist, "how much is a session for students?", "$90", "$150" },
        { Therapist, "what do you charge students for therapy", "$90", "$150" },
    };

    [Theory]
    [MemberData(nameof(VariantPrices))]
    public async Task VariantPrice_ComesFromTheKnowledgeThatNamesIt(string business, string question, string price, string nearest)
    {
        var h = Create(business, Channel.WebChat, instructions: "");
        var reply = await h.SayAsync(question);

        Assert.Contains(price, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(nearest, reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Business, a price question in everyday wording about a service, the service's price.</summary>
    public static TheoryData<string, string, string> PricePhrasings => new()
    {
        { Salon, "highlights, ballpark?", "$160" },
        { Salon, "roughly what's a manicure?", "$35" },
        { Salon, "what would color run me", "$120" },
        { Salon, "ballpark for a trim", "$62" },
        { Salon, "what's the damage for highlights", "$160" },
        { Dentist, "whitening, what would that set me back?", "$350" },
        { Dentist, "approximately what is a filling", "$180" },
        { Dentist, "rough idea for a cleaning?", "$120" },
        { Dentist, "how pricey is whitening", "$350" },
        { Garage, "what'll a tire rotation run me", "$39" },
        { Garage, "oil change, ballpark?", "$49" },
        { Garage, "roughly what are brakes", "$189" },
        { Therapist, "what's the going rate for couples therapy", "$210" },
        { Therapist, "individual therapy, roughly?", "$150" },
        { Therapist, "what would a session set me back", "$150" },
    };

    [Theory]
    [MemberData(nameof(PricePhrasings))]
    public async Task PriceQuestionInEverydayWords_QuotesThePrice(string business, string question, string price)
    {
        var h = Create(business, Channel.Voice, instructions: "");
        var reply = await h.SayAsync(question);

        Assert.Contains(price, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("don't know", reply.Text, StringComparison.Ordinal);
    }
}
