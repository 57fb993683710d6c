using System.Globalization;
using BenchmarkDotNet.Attributes;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Onboarding;
using Portal.Domain.Scheduling;
using Portal.Rag.Lexical;

namespace Portal.Benchmarks;

/// <summary>
/// One <see cref="OfflineDialogueEngine.RespondAsync"/> step, no database: the demo dental profile,
/// an in-memory calendar and BM25 over 200 FAQs. Each case starts from the state that utterance
/// would meet in a real conversation.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private OfflineDialogueEngine _engine = null!;
    private DialogueContext _context = null!;
    private string _utterance = "";
    private Func<DialogueState> _state = () => new DialogueState();

    /// <summary>The representative turns.</summary>
    public static IEnumerable<string> Cases => ["book", "name", "phone", "hours", "price", "faq", "location", "goodbye"];

    /// <summary>Which turn.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "book";

    /// <summary>Builds the profile, the engine and the state of <see cref="Case"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var profile = DemoProfile();
        var faqs = FaqCatalog.Full(200);
        var index = new Bm25Index(faqs.Select(f => new Passage(Guid.NewGuid(), f.Question, f.Answer, IsFaq: true)).ToList());
        var store = new InMemoryBookingStore();
        _engine = new OfflineDialogueEngine(store, new AvailabilityService(store, TimeProvider.System), new Bm25KnowledgeBase(index));
        _context = new DialogueContext(profile, Guid.NewGuid(), Channel.WebChat, null, profile.ToLocal(DateTimeOffset.UtcNow));

        // A weekday at least two days ahead, so the requested 10 am slot is open and free.
        var day = _context.Today.AddDays(2);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        var slot = day.ToDateTime(new TimeOnly(10, 0));
        var cleaning = profile.Services.First(s => s.Name == "Cleaning").Id;
        DialogueState Booking(PendingQuestion pending, string? name) => new()
        {
            Flow = DialogueFlow.Book, ServiceId = cleaning, Date = day, Time = new TimeOnly(10, 0), ProposedStart = slot, Pending = pending, CustomerName = name,
        };

        (string Utterance, Func<DialogueState> State) pick = Case switch
        {
            "book" => (string.Create(CultureInfo.InvariantCulture, $"Hi, I'd like a cleaning on {day:MMMM d} at 10am"), () => new DialogueState()),
            "name" => ("It's Maria Lopez", () => Booking(PendingQuestion.Name, null)),
            "phone" => ("(917) 284-1234", () => Booking(PendingQuestion.Phone, "Maria Lopez")),
            "hours" => ("What are your hours on Saturday?", () => new DialogueState()),
            "price" => ("How much is a cleaning?", () => new DialogueState()),
            "faq" => ("Does insurance cover dental implants?", () => new DialogueState()),
            "location" => ("Where are you located?", () => new DialogueState()),
            "goodbye" => ("That's all, thanks. Bye!", () => new DialogueState()),
            _ => throw new InvalidOperationException($"Unknown case {Case}."),
        };
        (_utterance, _state) = pick;
    }

    /// <summary>One engine step.</summary>
    [Benchmark]
    public Task<DialogueReply> RespondAsync() => _engine.RespondAsync(_context, _state(), _utterance, CancellationToken.None);

    /// <summary>The demo tenant's profile as <see cref="BusinessProfileCache"/> would build it from the dental template.</summary>
    public static BusinessProfile DemoProfile()
    {
        var template = VerticalTemplates.For(Industry.Dental);
        var services = template.Services.Select(s =>
        {
            var id = Guid.NewGuid();
            var keywords = s.Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new ServiceInfo(id, s.Name, s.DurationMinutes, s.PriceCents, null, new ServiceCandidate(id, s.Name, keywords));
        }).OrderBy(s => s.Name).ToList();
        var hours = new IReadOnlyList<OpeningInterval>[7];
        for (var d = 0; d < 7; d++)
        {
            hours[d] = template.Hours.Where(h => (int)h.Day == d).Select(h => new OpeningInterval(h.Opens, h.Closes)).ToArray();
        }

        return new BusinessProfile
        {
            TenantId = Guid.NewGuid(),
            Name = "Bright Smile Dental",
            Industry = Industry.Dental,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
            Address = "120 Hudson Street, New York, NY 10013",
            Phone = "+12125550199",
            Services = services,
            Hours = hours,
            ClosedDates = new Dictionary<DateOnly, string?>(),
            AgentName = "Sophie",
            TransferNumber = "+12125550199",
        };
    }
}
