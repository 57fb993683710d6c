using Microsoft.Extensions.Time.Testing;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Onboarding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// One conversation with the offline engine against a dental practice built from the dental
/// template, an in-memory calendar, a BM25 knowledge base and a frozen clock (default Monday
/// 2026-11-23 09:15 New York), so weekday logic is deterministic.
/// </summary>
public sealed class ConversationHarness
{
    /// <summary>Default local "now": Monday, November 23, 2026, 09:15 in New York.</summary>
    public static readonly DateTime DefaultNow = new(2026, 11, 23, 9, 15, 0);

    /// <summary>The practice's street address.</summary>
    public const string Address = "120 Hudson Street, New York, NY 10013";

    /// <summary>The patient guide indexed as a document next to the template FAQs.</summary>
    public const string PatientGuide = """
        # Payment
        We take cash, all major credit cards, Apple Pay and CareCredit. Payment is due at the time of your visit.

        # Sedation
        For anxious patients we offer nitrous oxide (laughing gas). Let us know when you book and we will plan a little extra time.

        # After-hours emergencies
        If you have a dental emergency when the office is closed, call our main number and follow the prompts to reach the dentist on call.

        Q: Do you offer payment plans?
        A: Yes, through CareCredit you can spread treatment costs over 6 to 24 months.
        """;

    private readonly DialogueState _state = new();

    private ConversationHarness(BusinessProfile profile, FakeTimeProvider clock, InMemoryBookingStore store, LexicalKnowledgeFake knowledge, string? callerPhone)
    {
        Profile = profile;
        Clock = clock;
        Store = store;
        Knowledge = knowledge;
        CallerPhone = callerPhone;
        Engine = new OfflineDialogueEngine(store, new AvailabilityService(store, clock), knowledge);
    }

    /// <summary>The business snapshot.</summary>
    public BusinessProfile Profile { get; }

    /// <summary>The frozen clock.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The calendar and message box.</summary>
    public InMemoryBookingStore Store { get; }

    /// <summary>The knowledge base.</summary>
    public LexicalKnowledgeFake Knowledge { get; }

    /// <summary>The engine under test.</summary>
    public OfflineDialogueEngine Engine { get; }

    /// <summary>Caller id passed in every turn's context (null = chat).</summary>
    public string? CallerPhone { get; }

    /// <summary>Conversation id.</summary>
    public Guid ConversationId { get; } = Guid.NewGuid();

    /// <summary>The state kept between turns.</summary>
    public DialogueState State => _state;

    /// <summary>Every (utterance, reply) so far, for failure messages.</summary>
    public List<(string Said, DialogueReply Reply)> Transcript { get; } = [];

    /// <summary>Business-local "now".</summary>
    public DateTime NowLocal => Profile.ToLocal(Clock.GetUtcNow());

    /// <summary>Business-local today.</summary>
    public DateOnly Today => DateOnly.FromDateTime(NowLocal);

    /// <summary>Builds the dental practice (services, hours and FAQs of <see cref="VerticalTemplates"/>) at <paramref name="nowLocal"/> New York time.</summary>
    public static ConversationHarness Dental(DateTime? nowLocal = null, string? transferNumber = null, string? callerPhone = null)
    {
        var template = VerticalTemplates.For(Industry.Dental);
        var services = template.Services.Select(s =>
        {
            var id = Guid.NewGuid();
            var keywords = s.Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new ServiceInfo(id, s.Name, s.DurationMinutes, s.PriceCents, null, new ServiceCandidate(id, s.Name, keywords));
        }).ToList();
        var hours = new IReadOnlyList<OpeningInterval>[7];
        for (var d = 0; d < 7; d++)
        {
            hours[d] = template.Hours.Where(h => (int)h.Day == d).Select(h => new OpeningInterval(h.Opens, h.Closes)).ToArray();
        }

        var profile = new BusinessProfile
        {
            TenantId = Guid.NewGuid(),
            Name = "Hudson Dental",
            Industry = Industry.Dental,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
            Address = Address,
            Phone = "+12125550100",
            Services = services,
            Hours = hours,
            ClosedDates = new Dictionary<DateOnly, string?> { [new DateOnly(2026, 11, 26)] = "Thanksgiving" },
            MinimumNoticeMinutes = 60,
            SlotIntervalMinutes = 30,
            AgentName = "Ava",
            TransferNumber = transferNumber,
        };
        return Create(profile, nowLocal ?? DefaultNow, template.Faqs, [("Patient guide", PatientGuide)], callerPhone);
    }

    /// <summary>Builds a harness around any profile, with the clock at <paramref name="nowLocal"/> in the profile's time zone.</summary>
    public static ConversationHarness Create(BusinessProfile profile, DateTime nowLocal, IEnumerable<(string Question, string Answer)> faqs, IEnumerable<(string Title, string Text)> documents, string? callerPhone = null)
    {
        var clock = new FakeTimeProvider(profile.ToUtc(nowLocal));
        var store = new InMemoryBookingStore(id => profile.FindService(id)?.Name ?? "appointment");
        return new ConversationHarness(profile, clock, store, new LexicalKnowledgeFake(profile.TenantId, faqs, documents), callerPhone);
    }

    /// <summary>The service called <paramref name="name"/>.</summary>
    public ServiceInfo Service(string name) => Profile.Services.Single(s => s.Name == name);

    /// <summary>Runs one turn and returns the reply; the state carries over to the next turn.</summary>
    public async Task<DialogueReply> SayAsync(string utterance)
    {
        var ctx = new DialogueContext(Profile, ConversationId, Channel.Test, CallerPhone, NowLocal);
        var reply = await Engine.RespondAsync(ctx, _state, utterance, CancellationToken.None);
        Transcript.Add((utterance, reply));
        return reply;
    }

    /// <summary>Runs several turns; returns the last reply.</summary>
    public async Task<DialogueReply> SayAllAsync(params string[] utterances)
    {
        DialogueReply? last = null;
        foreach (var u in utterances)
        {
            last = await SayAsync(u);
        }

        return last ?? throw new ArgumentException("No utterance.", nameof(utterances));
    }

    /// <summary>Writes a confirmed booking directly (someone else's appointment), local time.</summary>
    public async Task<Guid> PreBookAsync(string serviceName, DateTime localStart, string customer = "Someone Else", string phone = "+12125550999")
    {
        var service = Service(serviceName);
        var start = Profile.ToUtc(localStart);
        var id = await Store.CreateAsync(new NewBooking(Profile.TenantId, service.Id, null, start, start.AddMinutes(service.DurationMinutes), customer, phone, service.PriceCents), CancellationToken.None);
        return id ?? throw new InvalidOperationException("Pre-booking overlapped.");
    }

    /// <summary>Local start of a stored booking.</summary>
    public DateTime LocalStart(InMemoryBookingStore.StoredBooking booking) => Profile.ToLocal(booking.StartUtc);

    /// <summary>The single confirmed booking made by this conversation.</summary>
    public InMemoryBookingStore.StoredBooking OnlyBooking() =>
        Assert.Single(Store.Confirmed, b => b.Booking.ConversationId == ConversationId);

    /// <summary>The conversation so far, one line per turn, for assertion messages.</summary>
    public string Dump() => string.Join("\n", Transcript.Select(t => $"> {t.Said}\n< {t.Reply.Text} [{t.Reply.Intent}]"));
}
