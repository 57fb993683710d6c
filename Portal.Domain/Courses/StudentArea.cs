using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Courses;

/// <summary>What the student area shows: the course, the student's progress and their certificate.</summary>
/// <param name="Enrollment">The enrolment.</param>
/// <param name="Course">The course with weeks, lessons and questions (ordered).</param>
/// <param name="Cohort">The cohort with sessions, or null (self-paced).</param>
/// <param name="CompletedLessons">Lessons completed.</param>
/// <param name="PassedWeeks">Weeks whose quiz was passed.</param>
/// <param name="Certificate">The certificate once complete, or null.</param>
public sealed record StudentView(Enrollment Enrollment, Course Course, CourseCohort? Cohort, IReadOnlySet<Guid> CompletedLessons, IReadOnlySet<Guid> PassedWeeks, Certificate? Certificate)
{
    /// <summary>Lessons in the course.</summary>
    public int LessonCount => Course.Weeks.Sum(w => w.Lessons.Count);

    /// <summary>Percent of lessons and quizzes done, 0-100.</summary>
    public int PercentDone
    {
        get
        {
            var quizzes = Course.Weeks.Count(w => w.Questions.Count > 0);
            var total = LessonCount + quizzes;
            return total == 0 ? 100 : (int)Math.Round(100.0 * (CompletedLessons.Count + PassedWeeks.Count) / total);
        }
    }

    /// <summary>Whether a week's lessons are all done and its quiz (if any) passed.</summary>
    public bool IsWeekDone(CourseWeek week) =>
        week is not null && week.Lessons.All(l => CompletedLessons.Contains(l.Id)) && (week.Questions.Count == 0 || PassedWeeks.Contains(week.Id));
}

/// <summary>A quiz result.</summary>
/// <param name="Correct">Right answers.</param>
/// <param name="Total">Questions.</param>
/// <param name="PassMarkPercent">The week's pass mark.</param>
/// <param name="Passed">Whether it reached the pass mark.</param>
public sealed record QuizResult(int Correct, int Total, int PassMarkPercent, bool Passed);

/// <summary>
/// The student's area, reached by the enrolment's secret link: lessons, progress per lesson and week, quizzes with a pass
/// mark, and the certificate issued when every lesson is complete and every quiz passed. Only an active enrolment opens it.
/// </summary>
public sealed class StudentArea(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>The student's view, or null for an unknown token or an enrolment that is not active.</summary>
    public async Task<StudentView?> OpenAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var enrollment = await db.Enrollments.AsNoTracking().FirstOrDefaultAsync(e => e.AccessToken == token, cancellationToken);
        if (enrollment is null || enrollment.Status != EnrollmentStatus.Active)
        {
            return null;
        }

        var course = await db.Courses.AsNoTracking().AsSplitQuery().Include(c => c.Weeks).ThenInclude(w => w.Lessons).Include(c => c.Weeks).ThenInclude(w => w.Questions)
            .FirstAsync(c => c.Id == enrollment.CourseId, cancellationToken);
        CourseCatalog.Order(course);
        var cohort = enrollment.CohortId is { } cohortId
            ? await db.CourseCohorts.AsNoTracking().Include(c => c.Sessions).FirstOrDefaultAsync(c => c.Id == cohortId, cancellationToken)
            : null;
        cohort?.Sessions.Sort((a, b) => a.StartsAt.CompareTo(b.StartsAt));
        var completed = await db.LessonCompletions.Where(c => c.EnrollmentId == enrollment.Id).Select(c => c.LessonId).ToListAsync(cancellationToken);
        var passed = await db.QuizAttempts.Where(a => a.EnrollmentId == enrollment.Id && a.Passed).Select(a => a.WeekId).Distinct().ToListAsync(cancellationToken);
        var certificate = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.EnrollmentId == enrollment.Id, cancellationToken);
        return new StudentView(enrollment, course, cohort, completed.ToHashSet(), passed.ToHashSet(), certificate);
    }

    /// <summary>Marks a lesson complete (idempotent) and issues the certificate when that completes the course.</summary>
    /// <returns>False when the token or lesson is unknown (nothing changes).</returns>
    public async Task<bool> CompleteLessonAsync(string token, Guid lessonId, CancellationToken cancellationToken)
    {
        var view = await OpenAsync(token, cancellationToken);
        if (view is null || !view.Course.Weeks.SelectMany(w => w.Lessons).Any(l => l.Id == lessonId))
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!view.CompletedLessons.Contains(lessonId))
        {
            db.LessonCompletions.Add(new LessonCompletion { EnrollmentId = view.Enrollment.Id, LessonId = lessonId, CompletedAt = timeProvider.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Marked twice at once (two tabs): the first mark stands.
            }
        }

        await IssueIfCompleteAsync(token, cancellationToken);
        return true;
    }

    /// <summary>Grades a quiz attempt: one chosen option per question, in question order.</summary>
    /// <returns>The result, or null for an unknown token or week.</returns>
    /// <exception cref="ArgumentException">Not one answer per question; nothing is stored.</exception>
    public async Task<QuizResult?> SubmitQuizAsync(string token, Guid weekId, IReadOnlyList<int> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var view = await OpenAsync(token, cancellationToken);
        var week = view?.Course.Weeks.FirstOrDefault(w => w.Id == weekId);
        if (view is null || week is null || week.Questions.Count == 0)
        {
            return null;
        }

        if (answers.Count != week.Questions.Count)
        {
            throw new ArgumentException("Answer every question.", nameof(answers));
        }

        var correct = week.Questions.Select((q, i) => q.CorrectOption == answers[i]).Count(right => right);
        var passed = correct * 100 >= week.PassMarkPercent * week.Questions.Count;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            db.QuizAttempts.Add(new QuizAttempt { EnrollmentId = view.Enrollment.Id, WeekId = weekId, Correct = correct, Total = week.Questions.Count, Passed = passed, At = timeProvider.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }

        await IssueIfCompleteAsync(token, cancellationToken);
        return new QuizResult(correct, week.Questions.Count, week.PassMarkPercent, passed);
    }

    private async Task IssueIfCompleteAsync(string token, CancellationToken ct)
    {
        var view = await OpenAsync(token, ct);
        if (view is null || view.Certificate is not null || !view.Course.Weeks.All(view.IsWeekDone))
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        db.Certificates.Add(new Certificate
        {
            CredentialId = NewCredentialId(), EnrollmentId = view.Enrollment.Id, RecipientName = view.Enrollment.Name, CourseTitle = view.Course.Title,
            CohortLabel = view.Cohort is { } cohort ? $"Cohort {cohort.Number}" : "Self-paced", InstructorName = view.Course.InstructorName,
            Skills = [.. view.Course.Skills], IssuedAt = now,
        });
        await db.Enrollments.Where(e => e.Id == view.Enrollment.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CompletedAt, now), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Issued concurrently by another request: one certificate per enrolment (unique index) stands.
        }
    }

    /// <summary>A credential id: <c>PAS-</c> and 12 characters in three groups, from an alphabet without look-alikes.</summary>
    public static string NewCredentialId()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<char> c = stackalloc char[12];
        for (var i = 0; i < c.Length; i++)
        {
            c[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return $"PAS-{new string(c[..4])}-{new string(c[4..8])}-{new string(c[8..])}";
    }
}
