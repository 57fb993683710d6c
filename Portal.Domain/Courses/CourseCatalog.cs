using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Courses;

/// <summary>A course in the catalogue with its lowest price, cents.</summary>
public sealed record CourseCard(string Slug, string Title, string Subtitle, long FromPriceCents, int Weeks);

/// <summary>A cohort with its seats taken (paid or pending enrolments).</summary>
public sealed record CohortSeats(CourseCohort Cohort, int Taken)
{
    /// <summary>Whether no seat is left.</summary>
    public bool IsFull => Taken >= Cohort.Capacity;
}

/// <summary>A student's progress for the admin: lessons done of all, quizzes passed of all.</summary>
public sealed record EnrollmentProgress(Enrollment Enrollment, string TierName, int LessonsDone, int Lessons, int QuizzesPassed, int Quizzes, string? CredentialId, bool Revoked);

/// <summary>
/// The public catalogue and the admin's course editing: courses with tiers, curriculum and cohorts, enrolments with
/// progress, certificate revocation. Course content is platform-wide (<see cref="Portal.Data.Tenancy.IGlobalEntity"/>).
/// </summary>
public sealed class CourseCatalog(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Published courses, cheapest tier shown.</summary>
    public async Task<IReadOnlyList<CourseCard>> ListPublishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Courses.AsNoTracking().Where(c => c.IsPublished).OrderBy(c => c.Title)
            .Select(c => new CourseCard(c.Slug, c.Title, c.Subtitle, c.Tiers.Min(t => (long?)t.PriceCents) ?? 0, c.Weeks.Count))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The course with tiers, weeks (lessons, questions) and cohorts (sessions), ordered; null when unknown.</summary>
    public async Task<Course?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var course = await db.Courses.AsNoTracking().AsSplitQuery()
            .Include(c => c.Tiers).Include(c => c.Weeks).ThenInclude(w => w.Lessons).Include(c => c.Weeks).ThenInclude(w => w.Questions)
            .Include(c => c.Cohorts).ThenInclude(h => h.Sessions)
            .FirstOrDefaultAsync(c => c.Slug == slug, cancellationToken);
        if (course is not null)
        {
            Order(course);
        }

        return course;
    }

    /// <summary>Seats taken in each of the course's cohorts.</summary>
    public async Task<IReadOnlyList<CohortSeats>> SeatsAsync(Course course, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(course);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ids = course.Cohorts.Select(c => c.Id).ToList();
        var taken = await db.Enrollments.Where(e => e.CohortId != null && ids.Contains(e.CohortId.Value) && (e.Status == EnrollmentStatus.Active || e.Status == EnrollmentStatus.PendingPayment))
            .GroupBy(e => e.CohortId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return course.Cohorts.Select(c => new CohortSeats(c, taken.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>Updates the course's texts (admin).</summary>
    /// <exception cref="ArgumentException">Title empty or too long; nothing changes.</exception>
    /// <exception cref="KeyNotFoundException">No such course.</exception>
    public async Task UpdateCourseAsync(Guid courseId, string title, string subtitle, string description, string format, string faq, string instructor, CancellationToken cancellationToken)
    {
        Require(title, nameof(title), "a title");
        Require(instructor, nameof(instructor), "the instructor's name");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var course = await db.Courses.FirstOrDefaultAsync(c => c.Id == courseId, cancellationToken) ?? throw new KeyNotFoundException("No such course.");
        (course.Title, course.Subtitle, course.DescriptionMarkdown, course.FormatMarkdown, course.FaqMarkdown, course.InstructorName) =
            (title.Trim(), subtitle?.Trim() ?? "", description ?? "", format ?? "", faq ?? "", instructor.Trim());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Updates a week's topic, deliverable and quiz pass mark (admin).</summary>
    /// <exception cref="ArgumentException">Empty title or a pass mark outside 1-100; nothing changes.</exception>
    public async Task UpdateWeekAsync(Guid weekId, string title, string deliverable, int passMarkPercent, CancellationToken cancellationToken)
    {
        Require(title, nameof(title), "a title");
        if (passMarkPercent is < 1 or > 100)
        {
            throw new ArgumentException("The pass mark is a percentage from 1 to 100.", nameof(passMarkPercent));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var week = await db.CourseWeeks.FirstOrDefaultAsync(w => w.Id == weekId, cancellationToken) ?? throw new KeyNotFoundException("No such week.");
        (week.Title, week.Deliverable, week.PassMarkPercent) = (title.Trim(), deliverable?.Trim() ?? "", passMarkPercent);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds (<paramref name="lessonId"/> null) or updates a lesson (admin).</summary>
    /// <exception cref="ArgumentException">Empty title, or a video link that is not https; nothing changes.</exception>
    public async Task<Guid> SaveLessonAsync(Guid weekId, Guid? lessonId, string title, string bodyMarkdown, string? videoUrl, CancellationToken cancellationToken)
    {
        Require(title, nameof(title), "a title");
        if (!string.IsNullOrWhiteSpace(videoUrl) && !(Uri.TryCreate(videoUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The video link must be an https:// address.", nameof(videoUrl));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var lesson = lessonId is { } id
            ? await db.Lessons.FirstOrDefaultAsync(l => l.Id == id && l.WeekId == weekId, cancellationToken) ?? throw new KeyNotFoundException("No such lesson.")
            : null;
        if (lesson is null)
        {
            var order = await db.Lessons.Where(l => l.WeekId == weekId).MaxAsync(l => (int?)l.Order, cancellationToken) ?? 0;
            lesson = new Lesson { WeekId = weekId, Order = order + 1 };
            db.Lessons.Add(lesson);
        }

        (lesson.Title, lesson.BodyMarkdown, lesson.VideoUrl) = (title.Trim(), bodyMarkdown ?? "", string.IsNullOrWhiteSpace(videoUrl) ? null : videoUrl.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return lesson.Id;
    }

    /// <summary>Adds (<paramref name="questionId"/> null) or updates a quiz question (admin).</summary>
    /// <exception cref="ArgumentException">Empty prompt, fewer than two options, or the right answer out of range.</exception>
    public async Task SaveQuestionAsync(Guid weekId, Guid? questionId, string prompt, IReadOnlyList<string> options, int correctOption, CancellationToken cancellationToken)
    {
        Require(prompt, nameof(prompt), "the question");
        var choices = (options ?? []).Select(o => o.Trim()).Where(o => o.Length > 0).ToList();
        if (choices.Count < 2 || correctOption < 0 || correctOption >= choices.Count)
        {
            throw new ArgumentException("Give at least two answers and mark the right one.", nameof(options));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var question = questionId is { } id ? await db.QuizQuestions.FirstOrDefaultAsync(q => q.Id == id && q.WeekId == weekId, cancellationToken) ?? throw new KeyNotFoundException("No such question.") : null;
        if (question is null)
        {
            var order = await db.QuizQuestions.Where(q => q.WeekId == weekId).MaxAsync(q => (int?)q.Order, cancellationToken) ?? 0;
            question = new QuizQuestion { WeekId = weekId, Order = order + 1 };
            db.QuizQuestions.Add(question);
        }

        (question.Prompt, question.Options, question.CorrectOption) = (prompt.Trim(), choices, correctOption);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Every enrolment of the course with its progress (admin).</summary>
    public async Task<IReadOnlyList<EnrollmentProgress>> EnrollmentsAsync(Guid courseId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var lessons = await db.Lessons.CountAsync(l => db.CourseWeeks.Any(w => w.Id == l.WeekId && w.CourseId == courseId), cancellationToken);
        var quizzes = await db.CourseWeeks.CountAsync(w => w.CourseId == courseId && w.Questions.Any(), cancellationToken);
        var tiers = await db.CourseTiers.Where(t => t.CourseId == courseId).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var rows = await db.Enrollments.AsNoTracking().Where(e => e.CourseId == courseId).OrderByDescending(e => e.CreatedAt)
            .Select(e => new
            {
                Enrollment = e,
                Done = db.LessonCompletions.Count(c => c.EnrollmentId == e.Id),
                Passed = db.QuizAttempts.Where(a => a.EnrollmentId == e.Id && a.Passed).Select(a => a.WeekId).Distinct().Count(),
                Certificate = db.Certificates.Where(c => c.EnrollmentId == e.Id).Select(c => new { c.CredentialId, c.RevokedAt }).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        return rows.Select(r => new EnrollmentProgress(r.Enrollment, tiers.GetValueOrDefault(r.Enrollment.TierId, "?"), r.Done, lessons, r.Passed, quizzes,
            r.Certificate?.CredentialId, r.Certificate?.RevokedAt is not null)).ToList();
    }

    /// <summary>Revokes a certificate (admin): its verification page says so from now on.</summary>
    /// <exception cref="ArgumentException">No reason given.</exception>
    /// <exception cref="KeyNotFoundException">No such credential.</exception>
    public async Task RevokeCertificateAsync(string credentialId, string reason, CancellationToken cancellationToken)
    {
        Require(reason, nameof(reason), "a reason");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var certificate = await db.Certificates.FirstOrDefaultAsync(c => c.CredentialId == credentialId, cancellationToken) ?? throw new KeyNotFoundException("No such credential.");
        certificate.RevokedAt ??= timeProvider.GetUtcNow();
        certificate.RevokedReason = reason.Trim().Length > 500 ? reason.Trim()[..500] : reason.Trim();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A certificate by credential id (verification page), or null.</summary>
    public async Task<Certificate?> CertificateAsync(string credentialId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(credentialId) || credentialId.Length > 40)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.CredentialId == credentialId, cancellationToken);
    }

    internal static void Order(Course course)
    {
        course.Tiers.Sort((a, b) => a.Order.CompareTo(b.Order));
        course.Weeks.Sort((a, b) => a.Number.CompareTo(b.Number));
        foreach (var week in course.Weeks)
        {
            week.Lessons.Sort((a, b) => a.Order.CompareTo(b.Order));
            week.Questions.Sort((a, b) => a.Order.CompareTo(b.Order));
        }

        course.Cohorts.Sort((a, b) => a.Number.CompareTo(b.Number));
        foreach (var cohort in course.Cohorts)
        {
            cohort.Sessions.Sort((a, b) => a.StartsAt.CompareTo(b.StartsAt));
        }
    }

    private static void Require(string? value, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > Course.TitleMaxLength)
        {
            throw new ArgumentException($"Enter {what} (at most {Course.TitleMaxLength} characters).", field);
        }
    }
}
