using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Billing_Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "billing_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    stripe_customer_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    stripe_subscription_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    subscription_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    subscribed_plan = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    subscription_event_created = table.Column<long>(type: "bigint", nullable: false),
                    current_period_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    current_period_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    has_payment_method = table.Column<bool>(type: "boolean", nullable: false),
                    past_due_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    spending_cap_cents = table.Column<int>(type: "integer", nullable: true),
                    limit_action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    limit_lifted_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trial_minutes = table.Column<int>(type: "integer", nullable: false),
                    cap_warning_sent_for = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    limit_notice_sent_for = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_accounts", x => x.id);
                    table.CheckConstraint("ck_billing_accounts_cap", "spending_cap_cents IS NULL OR spending_cap_cents > 0");
                });

            migrationBuilder.CreateTable(
                name: "billing_credits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_cents = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    granted_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_credits", x => x.id);
                    table.CheckConstraint("ck_billing_credits_amount", "amount_cents BETWEEN 1 AND 1000000");
                });

            migrationBuilder.CreateTable(
                name: "billing_drift_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    period_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    period_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    local_tenths = table.Column<long>(type: "bigint", nullable: false),
                    stripe_tenths = table.Column<long>(type: "bigint", nullable: false),
                    found_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_drift_findings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "billing_invoices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    stripe_invoice_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    amount_due_cents = table.Column<long>(type: "bigint", nullable: false),
                    amount_paid_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    hosted_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    pdf_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    payment_failed = table.Column<bool>(type: "boolean", nullable: false),
                    stripe_created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_invoices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stripe_webhook_events",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created = table.Column<long>(type: "bigint", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    outcome = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stripe_webhook_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent_persona_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    billable_seconds = table.Column<int>(type: "integer", nullable: false),
                    billable_tenths = table.Column<int>(type: "integer", nullable: false),
                    input_tokens = table.Column<int>(type: "integer", nullable: false),
                    output_tokens = table.Column<int>(type: "integer", nullable: false),
                    stt_cost_micros = table.Column<long>(type: "bigint", nullable: false),
                    tts_cost_micros = table.Column<long>(type: "bigint", nullable: false),
                    model_cost_micros = table.Column<long>(type: "bigint", nullable: false),
                    telephony_cost_micros = table.Column<long>(type: "bigint", nullable: false),
                    price_micros = table.Column<long>(type: "bigint", nullable: false),
                    plan = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    meter_reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    meter_attempts = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_records", x => x.id);
                    table.CheckConstraint("ck_usage_records_tenths", "billable_tenths >= 0 AND billable_seconds >= 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_billing_accounts_stripe_customer_id",
                table: "billing_accounts",
                column: "stripe_customer_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_billing_accounts_tenant_id",
                table: "billing_accounts",
                column: "tenant_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_billing_credits_tenant_id",
                table: "billing_credits",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_billing_drift_findings_tenant_id_period_start",
                table: "billing_drift_findings",
                columns: new[] { "tenant_id", "period_start" },
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_billing_invoices_stripe_invoice_id",
                table: "billing_invoices",
                column: "stripe_invoice_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_billing_invoices_tenant_id",
                table: "billing_invoices",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_stripe_webhook_events_received_at",
                table: "stripe_webhook_events",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_conversation_id",
                table: "usage_records",
                column: "conversation_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_meter_reported_at",
                table: "usage_records",
                column: "meter_reported_at",
                filter: "meter_reported_at IS NULL AND billable_tenths > 0");

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_tenant_id",
                table: "usage_records",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_tenant_id_started_at",
                table: "usage_records",
                columns: new[] { "tenant_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "billing_accounts");

            migrationBuilder.DropTable(
                name: "billing_credits");

            migrationBuilder.DropTable(
                name: "billing_drift_findings");

            migrationBuilder.DropTable(
                name: "billing_invoices");

            migrationBuilder.DropTable(
                name: "stripe_webhook_events");

            migrationBuilder.DropTable(
                name: "usage_records");
        }
    }
}
