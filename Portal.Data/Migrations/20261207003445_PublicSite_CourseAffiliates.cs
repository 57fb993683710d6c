using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PublicSite_CourseAffiliates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "affiliate_clicks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    affiliate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    visitor_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    utm_source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    utm_medium = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    utm_campaign = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliate_clicks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "affiliate_commissions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    affiliate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    referral_id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    amount_paid_cents = table.Column<long>(type: "bigint", nullable: false),
                    commission_cents = table.Column<long>(type: "bigint", nullable: false),
                    reversed_cents = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    earned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approvable_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payout_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliate_commissions", x => x.id);
                    table.CheckConstraint("ck_affiliate_commissions_amounts", "commission_cents >= 0 AND reversed_cents >= 0 AND reversed_cents <= commission_cents");
                });

            migrationBuilder.CreateTable(
                name: "affiliate_payouts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    affiliate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliate_payouts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "affiliate_referrals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    affiliate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    referred_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    touch_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    utm_source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    utm_medium = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    utm_campaign = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    flag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    rejected_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliate_referrals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "affiliates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    audience = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    payout_method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    payout_account = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    credential_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    course_title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cohort_label = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    instructor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    skills = table.Column<List<string>>(type: "text[]", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "course_coupons",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    percent_off = table.Column<int>(type: "integer", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    max_redemptions = table.Column<int>(type: "integer", nullable: true),
                    redemptions = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_coupons", x => x.code);
                    table.CheckConstraint("ck_course_coupons_percent", "percent_off BETWEEN 1 AND 100");
                });

            migrationBuilder.CreateTable(
                name: "courses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subtitle = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    description_markdown = table.Column<string>(type: "text", nullable: false),
                    format_markdown = table.Column<string>(type: "text", nullable: false),
                    instructor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    instructor_bio_markdown = table.Column<string>(type: "text", nullable: false),
                    faq_markdown = table.Column<string>(type: "text", nullable: false),
                    skills = table.Column<List<string>>(type: "text[]", nullable: false),
                    is_published = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_courses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "enrollments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tier_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    access_token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    list_price_cents = table.Column<long>(type: "bigint", nullable: false),
                    price_cents = table.Column<long>(type: "bigint", nullable: false),
                    coupon_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    stripe_session_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lesson_completions",
                columns: table => new
                {
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lesson_id = table.Column<Guid>(type: "uuid", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_completions", x => new { x.enrollment_id, x.lesson_id });
                });

            migrationBuilder.CreateTable(
                name: "quiz_attempts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    week_id = table.Column<Guid>(type: "uuid", nullable: false),
                    correct = table.Column<int>(type: "integer", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    passed = table.Column<bool>(type: "boolean", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quiz_attempts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "course_cohorts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: false),
                    time_zone_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_cohorts", x => x.id);
                    table.ForeignKey(
                        name: "fk_course_cohorts_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "course_tiers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    price_cents = table.Column<long>(type: "bigint", nullable: false),
                    includes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    is_cohort = table.Column<bool>(type: "boolean", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_tiers", x => x.id);
                    table.CheckConstraint("ck_course_tiers_price", "price_cents >= 0");
                    table.ForeignKey(
                        name: "fk_course_tiers_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "course_weeks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    deliverable = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    pass_mark_percent = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_weeks", x => x.id);
                    table.ForeignKey(
                        name: "fk_course_weeks_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cohort_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_minutes = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohort_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_cohort_sessions_course_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "course_cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lessons",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    week_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body_markdown = table.Column<string>(type: "text", nullable: false),
                    video_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    file_content = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lessons", x => x.id);
                    table.ForeignKey(
                        name: "fk_lessons_course_weeks_week_id",
                        column: x => x.week_id,
                        principalTable: "course_weeks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quiz_questions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    week_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false),
                    prompt = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    options = table.Column<List<string>>(type: "text[]", nullable: false),
                    correct_option = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quiz_questions", x => x.id);
                    table.ForeignKey(
                        name: "fk_quiz_questions_course_weeks_week_id",
                        column: x => x.week_id,
                        principalTable: "course_weeks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_clicks_affiliate_id_at",
                table: "affiliate_clicks",
                columns: new[] { "affiliate_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_clicks_visitor_hash_at",
                table: "affiliate_clicks",
                columns: new[] { "visitor_hash", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_commissions_affiliate_id_status",
                table: "affiliate_commissions",
                columns: new[] { "affiliate_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_commissions_payment_id",
                table: "affiliate_commissions",
                column: "payment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_payouts_affiliate_id",
                table: "affiliate_payouts",
                column: "affiliate_id");

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_referrals_affiliate_id",
                table: "affiliate_referrals",
                column: "affiliate_id");

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_referrals_enrollment_id",
                table: "affiliate_referrals",
                column: "enrollment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_affiliate_referrals_referred_user_id",
                table: "affiliate_referrals",
                column: "referred_user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_affiliates_code",
                table: "affiliates",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_affiliates_user_id",
                table: "affiliates",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_credential_id",
                table: "certificates",
                column: "credential_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_enrollment_id",
                table: "certificates",
                column: "enrollment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cohort_sessions_cohort_id",
                table: "cohort_sessions",
                column: "cohort_id");

            migrationBuilder.CreateIndex(
                name: "ix_course_cohorts_course_id_number",
                table: "course_cohorts",
                columns: new[] { "course_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_course_tiers_course_id",
                table: "course_tiers",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_course_weeks_course_id_number",
                table: "course_weeks",
                columns: new[] { "course_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_courses_slug",
                table: "courses",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_access_token",
                table: "enrollments",
                column: "access_token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_course_id_cohort_id_status",
                table: "enrollments",
                columns: new[] { "course_id", "cohort_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_stripe_session_id",
                table: "enrollments",
                column: "stripe_session_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_lessons_week_id",
                table: "lessons",
                column: "week_id");

            migrationBuilder.CreateIndex(
                name: "ix_quiz_attempts_enrollment_id_week_id",
                table: "quiz_attempts",
                columns: new[] { "enrollment_id", "week_id" });

            migrationBuilder.CreateIndex(
                name: "ix_quiz_questions_week_id",
                table: "quiz_questions",
                column: "week_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "affiliate_clicks");

            migrationBuilder.DropTable(
                name: "affiliate_commissions");

            migrationBuilder.DropTable(
                name: "affiliate_payouts");

            migrationBuilder.DropTable(
                name: "affiliate_referrals");

            migrationBuilder.DropTable(
                name: "affiliates");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "cohort_sessions");

            migrationBuilder.DropTable(
                name: "course_coupons");

            migrationBuilder.DropTable(
                name: "course_tiers");

            migrationBuilder.DropTable(
                name: "enrollments");

            migrationBuilder.DropTable(
                name: "lesson_completions");

            migrationBuilder.DropTable(
                name: "lessons");

            migrationBuilder.DropTable(
                name: "quiz_attempts");

            migrationBuilder.DropTable(
                name: "quiz_questions");

            migrationBuilder.DropTable(
                name: "course_cohorts");

            migrationBuilder.DropTable(
                name: "course_weeks");

            migrationBuilder.DropTable(
                name: "courses");
        }
    }
}
