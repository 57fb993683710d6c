using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Onboarding;

namespace Portal.Domain.Tests.EngineEval;

/// <summary>
/// The businesses the conversation suite talks to: a salon, a dental practice, a doctor's office and an auto shop built
/// from <see cref="VerticalTemplates"/>, and a therapy practice (no template) built here. All in New York time.
/// </summary>
public static class EvalBusinesses
{
    /// <summary>Keys accepted in a suite case's <c>business</c> field.</summary>
    public static readonly IReadOnlyList<string> Keys = ["salon", "dentist", "doctor", "therapist", "auto"];

    /// <summary>A fresh profile (new ids) and its FAQs for <paramref name="key"/>; throws <see cref="ArgumentException"/> for an unknown key.</summary>
    public static (BusinessProfile Profile, IReadOnlyList<(string Question, string Answer)> Faqs) Create(string key) => key switch
    {
        "salon" => FromTemplate(Industry.Salon, "Bloom Hair Studio"),
        "dentist" => FromTemplate(Industry.Dental, "Hudson Dental"),
        "doctor" => FromTemplate(Industry.Medical, "Riverside Family Medicine"),
        "auto" => FromTemplate(Industry.AutoRepair, "Eastside Auto Care"),
        "therapist" => Therapy(),
        _ => throw new ArgumentException($"Unknown business '{key}'.", nameof(key)),
    };

    private static (BusinessProfile, IReadOnlyList<(string, string)>) FromTemplate(Industry industry, string name)
    {
        var template = VerticalTemplates.For(industry);
        var services = template.Services.Select(s => Service(s.Name, s.DurationMinutes, s.PriceCents, s.Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToList();
        var hours = new IReadOnlyList<OpeningInterval>[7];
        for (var d = 0; d < 7; d++)
        {
            hours[d] = template.Hours.Where(h => (int)h.Day == d).Select(h => new OpeningInterval(h.Opens, h.Closes)).ToArray();
        }

        return (Profile(name, industry, services, hours), template.Faqs);
    }

    private static (BusinessProfile, IReadOnlyList<(string, string)>) Therapy()
    {
        ServiceInfo[] services =
        [
            Service("Therapy Session", 50, 16000, ["session", "therapy", "counseling", "counselling", "individual session", "talk therapy"]),
            Service("Couples Session", 80, 22000, ["couples", "couples therapy", "marriage counseling", "relationship counseling"]),
            Service("Intake Consultation", 30, 0, ["intake", "consultation", "first session", "initial consultation", "new client"]),
        ];
        var weekday = new[] { new OpeningInterval(new TimeOnly(9, 0), new TimeOnly(20, 0)) };
        var friday = new[] { new OpeningInterval(new TimeOnly(9, 0), new TimeOnly(15, 0)) };
        var hours = new IReadOnlyList<OpeningInterval>[7];
        for (var d = 0; d < 7; d++)
        {
            hours[d] = d is >= 1 and <= 4 ? weekday : d == 5 ? friday : [];
        }

        (string, string)[] faqs =
        [
            ("Do you take insurance?", "We are in network with Aetna and Blue Cross, and we give superbills for other plans."),
            ("Do you offer online sessions?", "Yes, every clinician offers secure video sessions as well as in-person sessions."),
        ];
        return (Profile("Harbor Counseling", Industry.Other, services, hours), faqs);
    }

    private static ServiceInfo Service(string name, int minutes, long? priceCents, string[] keywords)
    {
        var id = Guid.NewGuid();
        return new ServiceInfo(id, name, minutes, priceCents, null, new ServiceCandidate(id, name, keywords));
    }

    private static BusinessProfile Profile(string name, Industry industry, IReadOnlyList<ServiceInfo> services, IReadOnlyList<OpeningInterval>[] hours) => new()
    {
        TenantId = Guid.NewGuid(),
        Name = name,
        Industry = industry,
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        Address = "120 Hudson Street, New York, NY 10013",
        Phone = "+12125550100",
        Services = services,
        Hours = hours,
        ClosedDates = new Dictionary<DateOnly, string?>(),
        MinimumNoticeMinutes = 60,
        SlotIntervalMinutes = 30,
        AgentName = "Ava",
    };
}
