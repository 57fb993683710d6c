namespace Portal.Domain.Tests.Conversations;

/// <summary>Questions answered from FAQs and the patient guide through real BM25 retrieval, and questions nobody wrote an answer for.</summary>
public sealed class KnowledgeTests
{
    private const string Insurance = "We accept most major PPO dental insurance plans";
    private const string Children = "we see patients of all ages";
    private const string FirstVisit = "Please bring a photo ID";
    private const string Payment = "We take cash, all major credit cards";
    private const string Plans = "through CareCredit you can spread treatment costs";
    private const string Sedation = "we offer nitrous oxide";
    private const string AfterHours = "reach the dentist on call";

    /// <summary>Question and the start of the answer that must be quoted.</summary>
    public static TheoryData<string, string> Answerable => new()
    {
        { "Do you accept insurance?", Insurance }, { "do you take delta dental", Insurance }, { "Do you see children?", Children },
        { "Do you take Cigna?", Insurance }, { "Do you take credit cards?", Payment }, { "Can I pay with Apple Pay?", Payment },
        { "do you offer payment plans", Plans }, { "Do you offer sedation?", Sedation },
        { "I'm really nervous about the dentist, do you have laughing gas?", Sedation },
        { "What if I have an emergency when you're closed?", AfterHours }, { "Do you accept MetLife insurance?", Insurance },
        { "do you accept aetna", Insurance }, { "Do I need to bring my insurance card?", "please bring your insurance card" }, { "Do you take CareCredit?", Payment },
        { "how do payment plans work", Plans }, { "Can I pay cash?", Payment }, { "Do you see patients of all ages?", Children },
        { "Do you offer nitrous oxide?", Sedation }, { "Do you accept PPO plans?", Insurance }, { "can i spread the cost of treatment", Plans },
        { "Do you accept Delta Dental?", Insurance }, { "what insurance do you accept", Insurance }, { "is metlife accepted", Insurance },
        { "do you guys take aetna insurance", Insurance }, { "Do you accept dental insurance?", Insurance }, { "can i pay by credit card", Payment },
        { "do you take apple pay", Payment }, { "do you have laughing gas", Sedation }, { "do you have payment plans", Plans },
        { "Can I use CareCredit to pay over 12 months?", Plans }, { "do you see children", Children }, { "Do you see patients of all ages including kids?", Children },
        { "what happens if i have a dental emergency at night", AfterHours }, { "dental emergency when the office is closed", AfterHours },
        { "Do you accept Cigna dental insurance?", Insurance }, { "can I pay in cash", Payment }, { "Do you offer sedation for anxious patients?", Sedation },
        { "do u accept delta dental insurance", Insurance }, { "Is nitrous oxide an option?", Sedation }, { "I'm anxious, is sedation possible?", Sedation },
        { "do you accept metlife", Insurance },
    };

    [Theory]
    [MemberData(nameof(Answerable))]
    public async Task KnowledgeQuestion_QuotesTheRightAnswer(string utterance, string answer)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        Assert.Contains(answer, reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(h.Store.All);
    }

    public static TheoryData<string> OutOfScope => new()
    {
        "Do you do braces?", "Do you offer dental implants?", "What's the name of the dentist?", "Does the dentist speak Spanish?",
        "Do you do root canals?", "Is Dr. Kim still working there?", "Do you sell electric toothbrushes?", "Do you have wheelchair access?",
        "Do you do veneers?", "Are you hiring?", "Do you have wifi?", "What's your fax number?", "Do you do Invisalign?",
        "How long have you been in business?", "Do you offer gift cards?", "Can you treat my dog?", "Do you do dentures?",
        "What's the weather like today?", "Who won the game last night?", "Do you have a pediatric specialist?", "Do you do wisdom teeth extraction?",
        "Do you have a referral program?", "Do you offer discounts for seniors?", "Can I bring my own music?", "Is your office LGBTQ friendly?",
        "How many dentists work there?", "Are you accredited?", "Do you do mouth guards for sports?", "Can I get my teeth straightened?",
        "Is there a pharmacy nearby?", "Do you offer Botox?", "What's the wifi password?", "Can you recommend a good orthodontist?",
        "Do you do gum grafts?", "Do you have a loyalty program?", "Is your water fluoridated?", "Do you do crowns in one day?",
        "Do you do teeth bonding?", "Do you offer travel vaccines?", "Are your dentists board certified?", "Do you offer fluoride varnish?",
    };

    [Theory]
    [MemberData(nameof(OutOfScope))]
    public async Task OutOfScopeQuestion_SaysIDontKnowAndOffersAMessage(string utterance)
    {
        var h = ConversationHarness.Dental();
        var reply = await h.SayAsync(utterance);

        EngineAssert.SaysIDontKnow(h, reply);
        Assert.DoesNotContain("Yes", reply.Text, StringComparison.Ordinal);
        Assert.Empty(h.Store.All);

        var next = await h.SayAsync("yes please");
        Assert.Contains("What would you like me to pass on?", next.Text, StringComparison.Ordinal);
    }
}
