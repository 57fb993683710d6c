using System.Reflection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;

namespace Portal.Data;

/// <summary>
/// The one database context: Identity plus every Portal entity. Tenancy is the default: each
/// <see cref="ITenantOwned"/> entity gets a global query filter on the current tenant from
/// <see cref="ITenantContext"/>, and <see cref="Tenant"/> is filtered to itself. Cross-tenant
/// queries (admin pages, jobs) call <c>IgnoreQueryFilters()</c> and say why.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options, ITenantContext tenantContext)
    : IdentityDbContext<PortalUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The tenant the filters compare against; evaluated per query, so a context follows tenant changes.</summary>
    public Guid? CurrentTenantId => tenantContext.TenantId;

    /// <summary>Businesses.</summary>
    public DbSet<Tenant> Tenants => Set<Tenant>();

    /// <summary>Agent personas.</summary>
    public DbSet<AgentPersona> AgentPersonas => Set<AgentPersona>();

    /// <summary>Bookable services.</summary>
    public DbSet<Service> Services => Set<Service>();

    /// <summary>Weekly opening intervals.</summary>
    public DbSet<BusinessHours> BusinessHours => Set<BusinessHours>();

    /// <summary>Holiday closures.</summary>
    public DbSet<ClosedDate> ClosedDates => Set<ClosedDate>();

    /// <summary>Knowledge sources: FAQs, files, website addresses.</summary>
    public DbSet<KnowledgeDocument> KnowledgeDocuments => Set<KnowledgeDocument>();

    /// <summary>Indexed pieces of knowledge documents.</summary>
    public DbSet<KnowledgeChunk> KnowledgeChunks => Set<KnowledgeChunk>();

    /// <summary>Uploaded file bytes of knowledge documents.</summary>
    public DbSet<KnowledgeFile> KnowledgeFiles => Set<KnowledgeFile>();

    /// <summary>Questions the knowledge base could not answer.</summary>
    public DbSet<KnowledgeGap> KnowledgeGaps => Set<KnowledgeGap>();

    /// <summary>Conversations on every channel.</summary>
    public DbSet<Conversation> Conversations => Set<Conversation>();

    /// <summary>Turns of conversations.</summary>
    public DbSet<Turn> Turns => Set<Turn>();

    /// <summary>Appointments.</summary>
    public DbSet<Booking> Bookings => Set<Booking>();

    /// <summary>Customers: one per phone number or email across channels.</summary>
    public DbSet<Customer> Customers => Set<Customer>();

    /// <summary>Messages left by callers.</summary>
    public DbSet<CallerMessage> CallerMessages => Set<CallerMessage>();

    /// <summary>Audio recorded on calls (voice messages).</summary>
    public DbSet<CallRecording> CallRecordings => Set<CallRecording>();

    /// <summary>The platform's number pool (not tenant-filtered; see <see cref="PhoneNumber"/>).</summary>
    public DbSet<PhoneNumber> PhoneNumbers => Set<PhoneNumber>();

    /// <summary>The append-only platform audit log (not tenant-filtered; see <see cref="AuditEntry"/>).</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Admin "buy numbers" requests and their progress (not tenant-filtered).</summary>
    public DbSet<NumberPurchaseBatch> NumberPurchaseBatches => Set<NumberPurchaseBatch>();

    /// <summary>Per-number results of purchase batches (not tenant-filtered).</summary>
    public DbSet<NumberPurchaseItem> NumberPurchaseItems => Set<NumberPurchaseItem>();

    /// <summary>Differences between the pool and the provider found by reconciliation (not tenant-filtered).</summary>
    public DbSet<PoolDriftFinding> PoolDriftFindings => Set<PoolDriftFinding>();

    /// <summary>Emails and SMS the platform sent or would have sent (not tenant-filtered; see <see cref="OutboxMessage"/>).</summary>
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    /// <summary>The deployment's language-model provider (one row, not tenant-filtered; see <see cref="LanguageModelSettings"/>).</summary>
    public DbSet<LanguageModelSettings> LanguageModelSettings => Set<LanguageModelSettings>();

    /// <summary>
    /// The ASP.NET Data Protection key ring, when every instance keeps it here (<c>DataProtection:KeysInDatabase</c>);
    /// platform-wide, not tenant-filtered.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Platform secrets every instance shares, stored as Data Protection ciphertext (<see cref="PlatformSecret"/>).</summary>
    public DbSet<PlatformSecret> PlatformSecrets => Set<PlatformSecret>();

    /// <summary>Businesses' keys for the public REST API (hashes only).</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Ended conversations counted for money (one per conversation).</summary>
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    /// <summary>Each business's billing state (Stripe customer, subscription, cap, limits).</summary>
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();

    /// <summary>Invoices Stripe told us about.</summary>
    public DbSet<BillingInvoice> BillingInvoices => Set<BillingInvoice>();

    /// <summary>Manual credits granted by admins.</summary>
    public DbSet<BillingCredit> BillingCredits => Set<BillingCredit>();

    /// <summary>Stripe webhook events received (not tenant-filtered).</summary>
    public DbSet<StripeWebhookEvent> StripeWebhookEvents => Set<StripeWebhookEvent>();

    /// <summary>Usage drift between local records and Stripe's meter (not tenant-filtered).</summary>
    public DbSet<BillingDriftFinding> BillingDriftFindings => Set<BillingDriftFinding>();

    /// <summary>Post-call analyses, one per ended conversation.</summary>
    public DbSet<ConversationInsight> ConversationInsights => Set<ConversationInsight>();

    /// <summary>Questions asked of "ask your data", with who read them and the model's cost.</summary>
    public DbSet<AskQuestion> AskQuestions => Set<AskQuestion>();

    /// <summary>Per-business privacy (redaction) choices.</summary>
    public DbSet<RedactionSettings> RedactionSettings => Set<RedactionSettings>();

    /// <summary>Bearer tokens of the owner's AI assistants for the MCP server (hashed).</summary>
    public DbSet<McpToken> McpTokens => Set<McpToken>();

    /// <summary>Apps connected to the MCP server through OAuth (tenant-owned).</summary>
    public DbSet<McpOAuthGrant> McpOAuthGrants => Set<McpOAuthGrant>();

    /// <summary>Addresses businesses registered for outbound webhooks.</summary>
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    /// <summary>Webhook events queued for or sent to endpoints (the webhook outbox).</summary>
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>HTTP attempts of webhook deliveries.</summary>
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    /// <summary>Responses stored for <c>Idempotency-Key</c> replays of the REST API.</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    /// <summary>Owners' invitations to join a business (token hashed).</summary>
    public DbSet<TeamInvitation> TeamInvitations => Set<TeamInvitation>();

    /// <summary>Who of a business gets which event by email or SMS.</summary>
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    /// <summary>Website chat widgets (one per business).</summary>
    public DbSet<ChatWidget> ChatWidgets => Set<ChatWidget>();

    /// <summary>Website chat visitors (hashed tokens).</summary>
    public DbSet<WidgetVisitor> WidgetVisitors => Set<WidgetVisitor>();

    /// <summary>Numbers that opted out of SMS.</summary>
    public DbSet<SmsOptOut> SmsOptOuts => Set<SmsOptOut>();

    /// <summary>Inbound SMS already handled (webhook idempotency).</summary>
    public DbSet<InboundSms> InboundSms => Set<InboundSms>();
    /// <summary>Reseller agencies (not tenant-filtered; scoped by membership in the agency services).</summary>
    public DbSet<Agency> Agencies => Set<Agency>();

    /// <summary>Who works for which agency (not tenant-filtered).</summary>
    public DbSet<AgencyMember> AgencyMembers => Set<AgencyMember>();

    /// <summary>Agencies' custom domains (not tenant-filtered).</summary>
    public DbSet<AgencyDomain> AgencyDomains => Set<AgencyDomain>();

    /// <summary>What each agency charges each client.</summary>
    public DbSet<AgencyClientPlan> AgencyClientPlans => Set<AgencyClientPlan>();

    /// <summary>Overage minutes of agencies' clients to report (or reported) to Stripe's meter (not tenant-filtered: agency billing).</summary>
    public DbSet<AgencyOverageEvent> AgencyOverageEvents => Set<AgencyOverageEvent>();
    /// <summary>Courses of the public site (platform-wide).</summary>
    public DbSet<Course> Courses => Set<Course>();

    /// <summary>Course price tiers.</summary>
    public DbSet<CourseTier> CourseTiers => Set<CourseTier>();

    /// <summary>Course cohorts.</summary>
    public DbSet<CourseCohort> CourseCohorts => Set<CourseCohort>();

    /// <summary>Live sessions of cohorts.</summary>
    public DbSet<CohortSession> CohortSessions => Set<CohortSession>();

    /// <summary>Curriculum weeks.</summary>
    public DbSet<CourseWeek> CourseWeeks => Set<CourseWeek>();

    /// <summary>Lessons.</summary>
    public DbSet<Lesson> Lessons => Set<Lesson>();

    /// <summary>Quiz questions.</summary>
    public DbSet<QuizQuestion> QuizQuestions => Set<QuizQuestion>();

    /// <summary>Course coupons.</summary>
    public DbSet<CourseCoupon> CourseCoupons => Set<CourseCoupon>();

    /// <summary>Course enrolments.</summary>
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    /// <summary>Lessons completed by students.</summary>
    public DbSet<LessonCompletion> LessonCompletions => Set<LessonCompletion>();

    /// <summary>Quiz attempts.</summary>
    public DbSet<QuizAttempt> QuizAttempts => Set<QuizAttempt>();

    /// <summary>Certificates of completion.</summary>
    public DbSet<Certificate> Certificates => Set<Certificate>();

    /// <summary>Affiliates of the referral programme (platform-wide).</summary>
    public DbSet<Affiliate> Affiliates => Set<Affiliate>();

    /// <summary>Counted affiliate link visits.</summary>
    public DbSet<AffiliateClick> AffiliateClicks => Set<AffiliateClick>();

    /// <summary>Attributed sign-ups and enrolments (conversions).</summary>
    public DbSet<AffiliateReferral> AffiliateReferrals => Set<AffiliateReferral>();

    /// <summary>The commission ledger.</summary>
    public DbSet<AffiliateCommission> AffiliateCommissions => Set<AffiliateCommission>();

    /// <summary>Recorded affiliate payouts.</summary>
    public DbSet<AffiliatePayout> AffiliatePayouts => Set<AffiliatePayout>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.HasPostgresExtension("btree_gist");
        builder.HasPostgresExtension("btree_gin");
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        // OpenIddict's applications, authorizations, scopes and tokens (ADR-025); not tenant-owned: an authorization's
        // business is its McpOAuthGrant row.
        builder.UseOpenIddict();
        builder.Entity<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().ToTable("openiddict_applications");
        builder.Entity<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreAuthorization>().ToTable("openiddict_authorizations");
        builder.Entity<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreScope>().ToTable("openiddict_scopes");
        builder.Entity<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().ToTable("openiddict_tokens");

        var applyFilter = typeof(PortalDbContext).GetMethod(nameof(ApplyTenantFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType))
            {
                applyFilter.MakeGenericMethod(entityType.ClrType).Invoke(this, [builder]);
            }
        }

        builder.Entity<Tenant>().HasQueryFilter(t => t.Id == CurrentTenantId);
    }

    private void ApplyTenantFilter<T>(ModelBuilder builder)
        where T : class, ITenantOwned
    {
        builder.Entity<T>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<T>().HasIndex(e => e.TenantId);
    }
}
