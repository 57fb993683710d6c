using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Seeding;

/// <summary>
/// Seeds the "Production AI Systems" course (a 6-week live cohort, two 90-minute sessions a week, and a self-paced
/// edition): tiers and prices, the week-by-week curriculum with lessons and quizzes, the first cohort's sessions and a
/// launch coupon. Runs once: an existing course with the slug is left as the admin edited it.
/// </summary>
public sealed class CourseSeeder(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>The seeded course's slug.</summary>
    public const string Slug = "production-ai-systems";

    /// <summary>The seeded launch coupon (20 % off).</summary>
    public const string LaunchCoupon = "LAUNCH20";

    private static readonly (string Title, string Lab, string Deliverable, string Concept, string Code, (string Q, string[] A, int Right)[] Quiz)[] Weeks =
    [
        ("Agent Architecture", "AgentForge", "Build a multi-tool agent with structured output",
            "An agent is a loop: the model reads the conversation, picks a tool or answers, and the program runs the tool and feeds the result back. Structured output (a JSON schema the model must follow) turns free text into data your code can trust.",
            "var reply = await chat.GetResponseAsync<BookingIntent>(messages);\nif (reply.Result is { Service: not null } intent)\n{\n    await bookings.OfferSlotsAsync(intent.Service, intent.Day);\n}",
            [("What makes a model's output safe for code to act on?", ["A longer prompt", "A schema the output is validated against", "A higher temperature"], 1),
             ("In an agent loop, who runs the tools?", ["The model", "The program", "The user"], 1),
             ("What should an agent do when no tool fits?", ["Invent an answer", "Say it does not know or hand over", "Retry forever"], 1)]),
        ("RAG Systems", "DocQA-Insight", "Implement hybrid search (BM25 + vector)",
            "Retrieval-augmented generation answers from your documents: split them into chunks, find the chunks that match a question, and make the model answer from them with citations. Keyword search (BM25) finds exact terms; vector search finds meaning; fusing both beats either alone.",
            "var fused = ReciprocalRankFusion(keywordHits, vectorHits, k: 60);\nvar context = fused.Take(5).Select(c => c.Text);",
            [("Why combine BM25 with vector search?", ["Keywords catch exact terms, vectors catch meaning", "It is cheaper", "Vectors cannot rank"], 0),
             ("What should a grounded answer include?", ["Citations of its sources", "A disclaimer only", "Nothing extra"], 0),
             ("What is reciprocal rank fusion?", ["A way to merge ranked lists", "An embedding model", "A chunking rule"], 0)]),
        ("MCP + Tool Integration", "EnterpriseHub", "Connect an agent to 3+ external tools via MCP",
            "The Model Context Protocol gives assistants a standard way to discover and call tools over JSON-RPC. One server exposes tools with JSON schemas; any MCP client can list and call them with the user's authorization.",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"list_bookings\",\"arguments\":{\"day\":\"2026-03-02\"}}}",
            [("What transport format does MCP use for calls?", ["JSON-RPC 2.0", "SOAP", "gRPC only"], 0),
             ("How does a client learn what a server can do?", ["tools/list", "Guessing", "Reading the source"], 0),
             ("Whose data may an MCP tool return?", ["Only what the caller is authorized to see", "Everything", "Random samples"], 0)]),
        ("Production Hardening", "EnterpriseHub", "Add caching, rate limiting, error handling",
            "Production systems fail in ordinary ways: slow providers, bursts, bad input. Timeouts, retries with backoff, circuit breakers, rate limits and caches keep one failure from becoming an outage, and clear errors keep bad input from changing anything.",
            "builder.Services.AddHttpClient(\"llm\").AddResilienceHandler(\"llm\", b => b\n    .AddTimeout(TimeSpan.FromSeconds(10))\n    .AddRetry(new() { MaxRetryAttempts = 2 }));",
            [("What should happen to bad input?", ["A clear error and no change", "Best-effort processing", "A silent drop"], 0),
             ("Why add jitter to retries?", ["To avoid synchronized retry storms", "To slow tests", "It is required by HTTP"], 0),
             ("What does a circuit breaker do?", ["Stops calling a failing dependency for a while", "Restarts the server", "Encrypts traffic"], 0)]),
        ("Observability + Testing", "Insight Engine", "Instrument an agent with metrics, write 50+ tests",
            "You cannot fix what you cannot see: traces show one request's path, metrics show the fleet, logs explain the odd case. Tests pin behaviour: unit tests for rules, integration tests against real databases, and fakes that speak the vendor's wire protocol.",
            "using var activity = Telemetry.Source.StartActivity(\"dialogue.turn\");\nactivity?.SetTag(\"intent\", result.Intent);",
            [("Which signal shows one request's path through services?", ["A trace", "A counter", "A gauge"], 0),
             ("What should a vendor fake speak?", ["The vendor's documented wire protocol", "A simplified private API", "Nothing, mock the interface"], 0),
             ("A test that asserts nothing is...", ["Worthless", "Fine if it runs fast", "A smoke test"], 0)]),
        ("Deployment + Operations", "Student Project", "Deploy the full stack with CI/CD",
            "Shipping is a habit: a container image per commit, migrations that run on start, health checks, secrets from the environment, and a pipeline that runs the tests before anything reaches production.",
            "docker build -t portal . && docker run -e ConnectionStrings__Portal=\"$PG\" -p 8080:8080 portal",
            [("Where should production secrets come from?", ["The environment or a secret store", "The repository", "The container image"], 0),
             ("What must pass before a deploy?", ["The test suite", "A manual smoke check only", "Nothing"], 0),
             ("What tells the orchestrator the app is ready?", ["A health check", "The log volume", "CPU usage"], 0)]),
    ];

    /// <summary>Seeds the course unless it exists.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Courses.AnyAsync(c => c.Slug == Slug, cancellationToken))
        {
            return;
        }

        var course = new Course
        {
            Slug = Slug, Title = "Production AI Systems", IsPublished = true, InstructorName = "Cave",
            Subtitle = "A 6-week live cohort for engineers who want to ship AI systems that hold up in production.",
            DescriptionMarkdown = "Build production-grade AI systems with real repositories as the curriculum. Each week you ship real code to real infrastructure: an agent with structured output, hybrid retrieval, MCP tools, hardening, observability and tests, and a deployed project.",
            FormatMarkdown = "- **6 weeks**, two live 90-minute sessions a week\n- **Session A (Tuesday):** concept and live coding: 15 min concept, 45 min live coding, 15 min lab introduction, 15 min Q&A\n- **Session B (Thursday):** lab review and deep dive: 20 min lab solutions, 40 min advanced topic, 20 min guest or case study, 10 min next week\n- Labs in GitHub Codespaces, a private community, recordings of every session\n- A short quiz each week; a certificate with a verification link on completion",
            InstructorBioMarkdown = "**Cave** builds and runs production AI systems: agents, retrieval engines and voice platforms used by small businesses every day. The course uses the same repositories, tests included.",
            FaqMarkdown = "**Do I need machine-learning experience?** No. You need to be comfortable writing and testing code in one language.\n\n**What if I miss a live session?** Every session is recorded and posted the same day.\n\n**Is there a self-paced option?** Yes: the self-paced edition has the recorded sessions, labs and quizzes, and the same certificate.\n\n**Can my company pay?** Yes; team licences and corporate training are available on request.\n\n**What if the cohort is full?** Join the waitlist: you are offered a seat if one frees up, or a place in the next cohort, and nothing is charged until then.",
            Skills = ["AI Agent Architecture", "RAG Systems", "MCP Integration", "Production Deployment", "AI Observability", "TDD for AI Systems"],
            Tiers =
            [
                new() { Name = "Beta (Cohort 1 only)", PriceCents = 79_700, IsCohort = true, Order = 1, Includes = "All sessions, community, labs, certificate" },
                new() { Name = "Standard", PriceCents = 129_700, IsCohort = true, Order = 2, Includes = "All sessions, community, labs, certificate, 1 office hour" },
                new() { Name = "Premium", PriceCents = 199_700, IsCohort = true, Order = 3, Includes = "Everything in Standard + 3 private 1:1s, code review, LinkedIn recommendation" },
                new() { Name = "Self-paced", PriceCents = 39_700, IsCohort = false, Order = 4, Includes = "Recorded sessions, all labs and quizzes, certificate" },
            ],
        };

        for (var i = 0; i < Weeks.Length; i++)
        {
            var w = Weeks[i];
            var week = new CourseWeek { Number = i + 1, Title = w.Title, Deliverable = w.Deliverable, PassMarkPercent = 70 };
            week.Lessons.Add(new Lesson
            {
                Order = 1, Title = w.Title + ": concepts", VideoUrl = $"https://videos.example.com/production-ai-systems/week-{i + 1}",
                BodyMarkdown = $"## {w.Title}\n\n{w.Concept}\n\n```csharp\n{w.Code}\n```\n\nWatch the session recording linked below, then read the lab brief.",
            });
            week.Lessons.Add(new Lesson
            {
                Order = 2, Title = $"Lab: {w.Deliverable}", FileName = $"week-{i + 1}-lab-brief.md",
                FileContent = Encoding.UTF8.GetBytes($"# Week {i + 1} lab ({w.Lab})\n\nGoal: {w.Deliverable}.\n\n1. Open the lab repository in a Codespace.\n2. Make the failing tests pass.\n3. Push and open a pull request for review.\n"),
                BodyMarkdown = $"## Lab: {w.Deliverable}\n\nLab repository: **{w.Lab}**.\n\n1. Open the repository in a Codespace (zero setup).\n2. Read the failing tests: they describe what to build.\n3. Make them pass, then push and open a pull request.\n\nThe lab brief is attached below.",
            });
            for (var q = 0; q < w.Quiz.Length; q++)
            {
                week.Questions.Add(new QuizQuestion { Order = q + 1, Prompt = w.Quiz[q].Q, Options = [.. w.Quiz[q].A], CorrectOption = w.Quiz[q].Right });
            }

            course.Weeks.Add(week);
        }

        course.Cohorts.Add(FirstCohort(timeProvider.GetUtcNow()));
        db.Courses.Add(course);
        if (!await db.CourseCoupons.AnyAsync(c => c.Code == LaunchCoupon, cancellationToken))
        {
            db.CourseCoupons.Add(new CourseCoupon { Code = LaunchCoupon, PercentOff = 20 });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Cohort 1: 25 seats, sessions on Tuesdays and Thursdays at 18:00 New York time for 6 weeks, starting in about two weeks.</summary>
    private static CourseCohort FirstCohort(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(14);
        while (day.DayOfWeek != DayOfWeek.Tuesday)
        {
            day = day.AddDays(1);
        }

        var cohort = new CourseCohort { Number = 1, Capacity = 25, TimeZoneId = zone.Id };
        for (var week = 0; week < Weeks.Length; week++)
        {
            foreach (var (offset, label) in new[] { (0, "Session A: concept and live coding"), (2, "Session B: lab review and deep dive") })
            {
                var local = day.AddDays((week * 7) + offset).ToDateTime(new TimeOnly(18, 0));
                var startsAt = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
                cohort.Sessions.Add(new CohortSession { Title = $"Week {week + 1} · {Weeks[week].Title} · {label}", StartsAt = startsAt, DurationMinutes = 90 });
            }
        }

        return cohort;
    }
}
