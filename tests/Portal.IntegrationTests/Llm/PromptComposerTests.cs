using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Llm.Prompting;

namespace Portal.IntegrationTests.Llm;

public sealed class PromptComposerTests
{
    private static BusinessProfile Profile()
    {
        var open = new List<OpeningInterval> { new(new TimeOnly(9, 0), new TimeOnly(17, 0)) };
        return new BusinessProfile
        {
            TenantId = Guid.NewGuid(),
            Name = "Bright Smile Dental",
            Industry = Industry.Dental,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
            Address = "12 Main Street, Springfield",
            Phone = "+12125550188",
            Services = [new ServiceInfo(Guid.NewGuid(), "Cleaning", 60, 12000, "Teeth cleaning and polish", new ServiceCandidate(Guid.NewGuid(), "Cleaning", []))],
            Hours = [[], open, open, open, open, open, []],
            ClosedDates = new Dictionary<DateOnly, string?> { [new DateOnly(2026, 12, 25)] = "Christmas" },
            AgentName = "Ava",
        };
    }

    private static readonly DateTime Now = new(2026, 11, 23, 15, 5, 0);

    [Fact]
    public void Compose_IncludesFactsPersonaTimeDisclosureAndRules()
    {
        var prompt = PromptComposer.Compose(Profile(), new PersonaPrompt("Ava", Personality.Professional, "Always mention free parking.", null), Channel.WebChat, Now, null);

        Assert.Contains("You are Ava, the receptionist of Bright Smile Dental", prompt, StringComparison.Ordinal);
        Assert.Contains("AI assistant", prompt, StringComparison.Ordinal);
        Assert.Contains("Monday 2026-11-23 15:05 (America/New_York)", prompt, StringComparison.Ordinal);
        Assert.Contains("12 Main Street, Springfield", prompt, StringComparison.Ordinal);
        Assert.Contains("- Cleaning: an hour, $120", prompt, StringComparison.Ordinal);
        Assert.Contains("2026-12-25 (Christmas)", prompt, StringComparison.Ordinal);
        Assert.Contains("courteous, precise and professional", prompt, StringComparison.Ordinal);
        Assert.Contains("Always mention free parking.", prompt, StringComparison.Ordinal);
        Assert.Contains("links allowed", prompt, StringComparison.Ordinal);
        Assert.Contains("nobody is available to take transfers", prompt, StringComparison.Ordinal);
        Assert.All(PromptComposer.Rules, rule => Assert.Contains(rule, prompt, StringComparison.Ordinal));
        // The owner's instructions come after the rules, so they cannot override them.
        Assert.True(prompt.IndexOf("Always mention free parking.", StringComparison.Ordinal) > prompt.IndexOf(PromptComposer.Rules[^1], StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_ForAReturningCustomer_AsksForAWelcomeByName_AndAllowsOnlyTheDayAndTimeOfTheNextBooking()
    {
        var next = new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.Zero); // 10:30 in New York
        var state = new DialogueState { Returning = new ReturningCustomer { CustomerId = Guid.NewGuid(), Name = "Jamie Rivera", NextBookingUtc = next } };

        var prompt = PromptComposer.Compose(Profile(), new PersonaPrompt("Ava", Personality.Friendly, null, null), Channel.Voice, Now, state);

        Assert.Contains("Returning customer recognised by their number or email (a hint, not proof of identity): Jamie Rivera.", prompt, StringComparison.Ordinal);
        Assert.Contains("Welcome them back by first name", prompt, StringComparison.Ordinal);
        Assert.Contains("Their next appointment: 2026-11-25 10:30", prompt, StringComparison.Ordinal);
        Assert.Contains("tell only this day and time, no other details", prompt, StringComparison.Ordinal);

        state.Returning.Welcomed = true;
        Assert.DoesNotContain("Welcome them back", PromptComposer.Compose(Profile(), new PersonaPrompt("Ava", Personality.Friendly, null, null), Channel.Voice, Now, state), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_ForVoice_AsksForSpokenStyleAndSaysThePhoneNumberAsWords()
    {
        var prompt = PromptComposer.Compose(Profile(), new PersonaPrompt("Ava", Personality.Friendly, null, "+12125550100"), Channel.Voice, Now, null);

        Assert.Contains("phone call", prompt, StringComparison.Ordinal);
        Assert.Contains("No lists, markdown", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("+12125550188", prompt, StringComparison.Ordinal);
        Assert.Contains("transfer_to_human", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WithState_SaysWhatTheConversationEstablished()
    {
        var profile = Profile();
        var state = new DialogueState
        {
            Flow = DialogueFlow.Book,
            ServiceId = profile.Services[0].Id,
            ProposedStart = new DateTime(2026, 11, 24, 10, 0, 0),
            CustomerName = "Jamie Rivera",
            Pending = PendingQuestion.Confirm,
        };

        var prompt = PromptComposer.Compose(profile, new PersonaPrompt("Ava", Personality.Friendly, null, null), Channel.WebChat, Now, state);

        Assert.Contains("Service: Cleaning", prompt, StringComparison.Ordinal);
        Assert.Contains("Slot checked free: 2026-11-24 10:00 (tomorrow at 10 AM)", prompt, StringComparison.Ordinal);
        Assert.Contains("Caller's name: Jamie Rivera", prompt, StringComparison.Ordinal);
        Assert.Contains("confirmed=true", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaksRules_DetectsARecitedRuleButNotAnOrdinaryReply()
    {
        Assert.True(PromptComposer.LeaksRules("Sure: " + PromptComposer.Rules[5]));
        Assert.False(PromptComposer.LeaksRules("We're open Monday to Friday from 9 AM to 5 PM. Would you like to book a cleaning?"));
    }
}
