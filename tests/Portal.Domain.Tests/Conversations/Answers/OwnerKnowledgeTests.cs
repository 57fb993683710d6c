using Portal.Data.Entities;
using static Portal.Domain.Tests.Conversations.Answers.AnswerBusinesses;

namespace Portal.Domain.Tests.Conversations.Answers;

/// <summary>The owner's FAQs and custom instructions are honoured by the offline engine where they apply.</summary>
public sealed class OwnerKnowledgeTests
{
    /// <summary>Business, a question in the caller's words, a fragment of the owner's FAQ answer.</summary>
    public static TheoryData<string, string, string> FaqQuestions => new()
    {
        { Salon, "where do I park?", "free lot behind the salon" },
        { Salon, "is there parking nearby", "free lot behind the salon" },
        { Salon, "where can I park my car", "free lot behind the salon" },
        { Salon, "can I just walk in?", "welcome walk-ins" },
        { Salon, "do you accept walk ins", "welcome walk-ins" },
        { Dentist, "do you validate parking?", "validate parking for the garage on Fifth Street" },
        { Dentist, "where should I park, do you validate?", "validate parking" },
        { Dentist, "do you treat children", "children from age three" },
        { Dentist, "do you treat kids", "children from age three" },
        { Garage, "is there a warranty?", "12 month, 12,000 mile" },
        { Garage, "what warranty do you offer on repairs", "12 month" },
        { Garage, "can I wait for my car?", "waiting room has wifi" },
        { Garage, "is there somewhere to wait while you work on my car", "waiting room" },
        { Therapist, "do you do telehealth?", "secure video sessions" },
        { Therapist, "can I have sessions by video", "secure video sessions" },
    };

    [Theory]
    [MemberData(nameof(FaqQuestions))]
    public async Task OwnersFaq_AnswersTheQuestionItCovers(string business, string question, string fragment)
    {
        var h = Create(business, Channel.WebChat, instructions: "");
        var reply = await h.SayAsync(question);

        Assert.Contains(fragment, reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("48 Lake Street", reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Business, custom instructions, first question, the point the owner wants mentioned.</summary>
    public static TheoryData<string, string, string, string> Mentions => new()
    {
        { Salon, "Always mention we have free parking.", "what are your hours?", "We have free parking." },
        { Salon, "Always mention we have free parking.", "do you do balayage?", "We have free parking." },
        { Salon, "Always mention we have free parking.", "where are you located?", "We have free parking." },
        { Salon, "Make sure to mention that first visits get 10% off.", "how much is a haircut?", "First visits get 10% off." },
        { Salon, "Please let clients know that we are closed for renovations the week of December 21.", "what are your hours?", "We are closed for renovations the week of December 21." },
        { Dentist, "Remind patients to bring their insurance card and a photo ID.", "how much is a cleaning?", "Please bring your insurance card and a photo ID." },
        { Dentist, "Always tell callers that we offer evening appointments on Thursdays.", "what are your hours?", "We offer evening appointments on Thursdays." },
        { Dentist, "Always mention our new patient special.", "do you accept Medicaid?", "Ask us about our new patient special." },
        { Garage, "Remind customers to bring their keys and registration.", "how much is an oil change?", "Please bring your keys and registration." },
        { Garage, "Always say that we are a family owned shop since 1988.", "is there a shuttle?", "We are a family owned shop since 1988." },
        { Garage, "Don't forget to mention that we have a free shuttle.", "where are you?", "We have a free shuttle." },
        { Therapist, "Always mention that the first consultation call is free.", "do you offer telehealth?", "The first consultation call is free." },
        { Therapist, "Let callers know we have evening sessions on Tuesdays.", "what are your hours?", "We have evening sessions on Tuesdays." },
        { Therapist, "Be sure to mention our sliding scale.", "how much is individual therapy?", "Ask us about our sliding scale." },
        { Therapist, "Remind clients to complete the intake form before their first session.", "what methods do your therapists use?", "Please complete the intake form before your first session." },
    };

    [Theory]
    [MemberData(nameof(Mentions))]
    public async Task AlwaysMentionInstruction_IsSaidOnceInTheConversation(string business, string instructions, string question, string mention)
    {
        foreach (var channel in new[] { Channel.WebChat, Channel.Voice })
        {
            var h = Create(business, channel, instructions);
            var first = await h.SayAsync(question);
            Assert.Contains(mention, first.Text, StringComparison.Ordinal);

            var second = await h.SayAsync(question);
            Assert.DoesNotContain(mention, second.Text, StringComparison.Ordinal);
        }
    }

    /// <summary>Business, custom instructions with a conditional rule, a question it covers, a fragment of the rule's answer.</summary>
    public static TheoryData<string, string, string, string> Rules => new()
    {
        { Salon, "If someone asks about gift cards, tell them we sell gift cards at the front desk in any amount.", "do you sell gift cards?", "we sell gift cards at the front desk" },
        { Salon, "If someone asks about gift cards, tell them we sell gift cards at the front desk in any amount.", "can I buy a gift card for my mom", "front desk" },
        { Salon, "When a caller asks about bridal parties, say we do bridal hair on Saturdays and need a month's notice.", "do you do bridal party hair?", "bridal hair on Saturdays" },
        { Dentist, "If a patient asks about sedation, tell them we offer nitrous oxide for anxious patients.", "I'm nervous, do you have sedation?", "nitrous oxide" },
        { Dentist, "If anyone asks about payment plans, let them know we offer CareCredit.", "do you have payment plans?", "CareCredit" },
        { Garage, "If a customer asks about towing, tell them we partner with Ace Towing at 555-0100.", "can you tow my car?", "Ace Towing" },
        { Garage, "If customers ask about used cars, say we don't sell cars, only repair them.", "do you sell used cars", "only repair them" },
        { Therapist, "If a caller asks about emergencies, tell them to call 988 or go to the nearest emergency room.", "what if it's an emergency?", "Please call 988" },
        { Therapist, "If a caller asks about medication, say our therapists do not prescribe medication.", "can you prescribe medication?", "do not prescribe medication" },
        { Therapist, "If someone asks about groups, tell them we run a grief group on Wednesday evenings.", "do you have any support groups?", "grief group" },
        { Salon, "If someone asks about wigs, say we do not cut or style wigs.", "do you style wigs?", "do not cut or style wigs" },
        { Dentist, "When someone asks about x-rays, tell them we use low-dose digital x-rays.", "are your x-rays safe?", "low-dose digital x-rays" },
        { Garage, "If someone asks about inspections, say we do state inspections without an appointment.", "do you do state inspections?", "state inspections without an appointment" },
        { Therapist, "If a caller asks about ADHD testing, tell them we refer testing to Lakeview Psychology.", "do you do ADHD testing?", "Lakeview Psychology" },
        { Salon, "If a customer asks about pets, say only service dogs are allowed inside.", "are pets allowed in the salon?", "service dogs" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task ConditionalInstruction_AnswersTheQuestionItCovers(string business, string instructions, string question, string fragment)
    {
        var h = Create(business, Channel.WebChat, instructions);
        var reply = await h.SayAsync(question);

        Assert.Contains(fragment, reply.Text, StringComparison.OrdinalIgnoreCase);
    }
}
