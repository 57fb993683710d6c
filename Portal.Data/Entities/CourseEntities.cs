using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>State of an <see cref="Enrollment"/>.</summary>
public enum EnrollmentStatus
{
    /// <summary>Checkout started, not paid yet.</summary>
    PendingPayment,

    /// <summary>Paid (or free): the student area is open.</summary>
    Active,

    /// <summary>The cohort was full: on the waitlist, nothing charged.</summary>
    Waitlisted,

    /// <summary>Refunded or cancelled: the student area is closed.</summary>
    Cancelled,
}

/// <summary>A course sold on the public site (e.g. "Production AI Systems"). Platform-wide content.</summary>
public sealed class Course : IGlobalEntity, IAudited
{
    /// <summary>Maximum length of short texts (titles, names).</summary>
    public const int TitleMaxLength = 200;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>URL name, unique (<c>/courses/{slug}</c>).</summary>
    public string Slug { get; set; } = "";

    /// <summary>Title.</summary>
    public string Title { get; set; } = "";

    /// <summary>One-line pitch.</summary>
    public string Subtitle { get; set; } = "";

    /// <summary>Description, Markdown.</summary>
    public string DescriptionMarkdown { get; set; } = "";

    /// <summary>Format (sessions, length, labs), Markdown.</summary>
    public string FormatMarkdown { get; set; } = "";

    /// <summary>Instructor's name (printed on the certificate).</summary>
    public string InstructorName { get; set; } = "";

    /// <summary>Instructor's bio, Markdown.</summary>
    public string InstructorBioMarkdown { get; set; } = "";

    /// <summary>FAQ, Markdown.</summary>
    public string FaqMarkdown { get; set; } = "";

    /// <summary>Skills the certificate lists.</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>Shown in the catalogue.</summary>
    public bool IsPublished { get; set; }

    /// <summary>Price tiers.</summary>
    public List<CourseTier> Tiers { get; set; } = [];

    /// <summary>Weeks of the curriculum.</summary>
    public List<CourseWeek> Weeks { get; set; } = [];

    /// <summary>Cohorts (live runs).</summary>
    public List<CourseCohort> Cohorts { get; set; } = [];

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A way to buy a course (Beta, Standard, Premium cohort seats; the self-paced edition), one-time price.</summary>
public sealed class CourseTier : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The course.</summary>
    public Guid CourseId { get; set; }

    /// <summary>Tier name.</summary>
    public string Name { get; set; } = "";

    /// <summary>One-time price, US cents.</summary>
    public long PriceCents { get; set; }

    /// <summary>What it includes, one line.</summary>
    public string Includes { get; set; } = "";

    /// <summary>Whether it takes a seat in a live cohort (false = self-paced).</summary>
    public bool IsCohort { get; set; }

    /// <summary>Display order.</summary>
    public int Order { get; set; }
}

/// <summary>One live run of a course with a seat limit.</summary>
public sealed class CourseCohort : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The course.</summary>
    public Guid CourseId { get; set; }

    /// <summary>Cohort number (1, 2, ...), printed on the certificate.</summary>
    public int Number { get; set; }

    /// <summary>Seats.</summary>
    public int Capacity { get; set; }

    /// <summary>IANA time zone the sessions are announced in.</summary>
    public string TimeZoneId { get; set; } = "America/New_York";

    /// <summary>Live sessions.</summary>
    public List<CohortSession> Sessions { get; set; } = [];
}

/// <summary>A live session of a cohort (calendar entry, downloadable as ICS).</summary>
public sealed class CohortSession : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The cohort.</summary>
    public Guid CohortId { get; set; }

    /// <summary>Title.</summary>
    public string Title { get; set; } = "";

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartsAt { get; set; }

    /// <summary>Length, minutes.</summary>
    public int DurationMinutes { get; set; } = 90;
}

/// <summary>A week of the curriculum with its lessons and quiz.</summary>
public sealed class CourseWeek : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The course.</summary>
    public Guid CourseId { get; set; }

    /// <summary>Week number, from 1.</summary>
    public int Number { get; set; }

    /// <summary>Topic.</summary>
    public string Title { get; set; } = "";

    /// <summary>The week's key deliverable.</summary>
    public string Deliverable { get; set; } = "";

    /// <summary>Quiz pass mark, percent of questions right.</summary>
    public int PassMarkPercent { get; set; } = 70;

    /// <summary>Lessons in order.</summary>
    public List<Lesson> Lessons { get; set; } = [];

    /// <summary>Quiz questions in order.</summary>
    public List<QuizQuestion> Questions { get; set; } = [];
}

/// <summary>A lesson: Markdown body, optional video link and downloadable file.</summary>
public sealed class Lesson : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The week.</summary>
    public Guid WeekId { get; set; }

    /// <summary>Order in the week, from 1.</summary>
    public int Order { get; set; }

    /// <summary>Title.</summary>
    public string Title { get; set; } = "";

    /// <summary>Body, Markdown (rendered sanitized).</summary>
    public string BodyMarkdown { get; set; } = "";

    /// <summary>Video link (https), or null.</summary>
    public string? VideoUrl { get; set; }

    /// <summary>Downloadable file's name, or null.</summary>
    public string? FileName { get; set; }

    /// <summary>Downloadable file's content (UTF-8 text or bytes), or null.</summary>
    public byte[]? FileContent { get; set; }
}

/// <summary>A multiple-choice quiz question.</summary>
public sealed class QuizQuestion : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The week.</summary>
    public Guid WeekId { get; set; }

    /// <summary>Order, from 1.</summary>
    public int Order { get; set; }

    /// <summary>The question.</summary>
    public string Prompt { get; set; } = "";

    /// <summary>The choices.</summary>
    public List<string> Options { get; set; } = [];

    /// <summary>Index of the right choice in <see cref="Options"/>.</summary>
    public int CorrectOption { get; set; }
}

/// <summary>A discount code for course enrolment.</summary>
public sealed class CourseCoupon : IGlobalEntity
{
    /// <summary>The code (unique, upper case).</summary>
    public string Code { get; set; } = "";

    /// <summary>Percent off, 1 to 100.</summary>
    public int PercentOff { get; set; }

    /// <summary>Last moment it can be used, or null.</summary>
    public DateTimeOffset? ValidUntil { get; set; }

    /// <summary>Most uses, or null.</summary>
    public int? MaxRedemptions { get; set; }

    /// <summary>Uses so far.</summary>
    public int Redemptions { get; set; }
}

/// <summary>A student's place in a course: paid, waitlisted or pending; the student area is reached by <see cref="AccessToken"/>.</summary>
public sealed class Enrollment : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The course.</summary>
    public Guid CourseId { get; set; }

    /// <summary>The tier bought.</summary>
    public Guid TierId { get; set; }

    /// <summary>The cohort (cohort tiers), or null.</summary>
    public Guid? CohortId { get; set; }

    /// <summary>Student's name as printed on the certificate.</summary>
    public string Name { get; set; } = "";

    /// <summary>Student's email.</summary>
    public string Email { get; set; } = "";

    /// <summary>State.</summary>
    public EnrollmentStatus Status { get; set; }

    /// <summary>Secret of the student area link (<c>/learn/{token}</c>), 43 base64url characters.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Price before the coupon, cents.</summary>
    public long ListPriceCents { get; set; }

    /// <summary>Price charged, cents.</summary>
    public long PriceCents { get; set; }

    /// <summary>Coupon applied, or null.</summary>
    public string? CouponCode { get; set; }

    /// <summary>The Checkout session (<c>cs_…</c>), or null.</summary>
    public string? StripeSessionId { get; set; }

    /// <summary>When it was paid, or null.</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>When every lesson and quiz was done, or null.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A lesson marked complete by a student.</summary>
public sealed class LessonCompletion : IGlobalEntity
{
    /// <summary>The enrolment.</summary>
    public Guid EnrollmentId { get; set; }

    /// <summary>The lesson.</summary>
    public Guid LessonId { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset CompletedAt { get; set; }
}

/// <summary>A quiz attempt: score and whether it passed the week's mark.</summary>
public sealed class QuizAttempt : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The enrolment.</summary>
    public Guid EnrollmentId { get; set; }

    /// <summary>The week.</summary>
    public Guid WeekId { get; set; }

    /// <summary>Right answers.</summary>
    public int Correct { get; set; }

    /// <summary>Questions.</summary>
    public int Total { get; set; }

    /// <summary>Whether it reached the pass mark.</summary>
    public bool Passed { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>A certificate of completion, verifiable at <c>/certificates/{CredentialId}</c>.</summary>
public sealed class Certificate : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Public credential id (unique; the verification URL's last segment).</summary>
    public string CredentialId { get; set; } = "";

    /// <summary>The enrolment completed.</summary>
    public Guid EnrollmentId { get; set; }

    /// <summary>Recipient's name.</summary>
    public string RecipientName { get; set; } = "";

    /// <summary>Course title at issue.</summary>
    public string CourseTitle { get; set; } = "";

    /// <summary>"Cohort 1" or "Self-paced".</summary>
    public string CohortLabel { get; set; } = "";

    /// <summary>Instructor.</summary>
    public string InstructorName { get; set; } = "";

    /// <summary>Skills listed.</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>When issued (completion date).</summary>
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>When revoked, or null.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why revoked.</summary>
    public string? RevokedReason { get; set; }
}
