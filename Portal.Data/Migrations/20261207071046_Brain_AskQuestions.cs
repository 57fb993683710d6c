using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <summary>
    /// "Ask your data" with a language model: the <c>ask_questions</c> record (who read each question, the model's tokens and
    /// cost); and, for 100,000 conversations in one business, a UTC column <c>at_utc</c> on the <c>brain</c> views so a
    /// question's date range can use the (tenant, time) indexes (their local-time column is computed per row and cannot),
    /// with those indexes on bookings and caller messages by creation time (docs/benchmarks.md, "Brain: analytics and
    /// ask-your-data at 100,000 conversations").
    /// </summary>
    public partial class Brain_AskQuestions : Migration
    {
        private const string Tenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

        private static string Views(bool withUtc) => $"""
            CREATE OR REPLACE VIEW brain.v_conversations WITH (security_barrier = true) AS
            SELECT c.tenant_id, c.id, c.channel, c.outcome,
                   (c.started_at AT TIME ZONE t.time_zone_id) AS local_at,
                   COALESCE(c.duration_seconds::double precision, EXTRACT(EPOCH FROM c.ended_at - c.started_at)::double precision) AS duration_s,
                   c.customer_phone, i.sentiment, i.lead_score, COALESCE(i.intents, '{"{}"}'::text[]) AS intents{(withUtc ? ", c.started_at AS at_utc" : "")}
            FROM conversations c
            JOIN tenants t ON t.id = c.tenant_id
            LEFT JOIN conversation_insights i ON i.conversation_id = c.id
            WHERE NOT c.is_test AND c.tenant_id = {Tenant};

            CREATE OR REPLACE VIEW brain.v_bookings WITH (security_barrier = true) AS
            SELECT b.tenant_id, b.id, s.name AS service_name, (b.created_at AT TIME ZONE t.time_zone_id) AS local_at,
                   b.status, b.price_cents, b.customer_phone{(withUtc ? ", b.created_at AS at_utc" : "")}
            FROM bookings b
            JOIN tenants t ON t.id = b.tenant_id
            JOIN services s ON s.id = b.service_id
            WHERE b.tenant_id = {Tenant};

            CREATE OR REPLACE VIEW brain.v_messages WITH (security_barrier = true) AS
            SELECT m.tenant_id, m.id, (m.created_at AT TIME ZONE t.time_zone_id) AS local_at, m.status{(withUtc ? ", m.created_at AS at_utc" : "")}
            FROM caller_messages m
            JOIN tenants t ON t.id = m.tenant_id
            WHERE m.tenant_id = {Tenant};

            ALTER VIEW brain.v_conversations OWNER TO portal_brain_owner;
            ALTER VIEW brain.v_bookings OWNER TO portal_brain_owner;
            ALTER VIEW brain.v_messages OWNER TO portal_brain_owner;
            GRANT SELECT ON brain.v_conversations, brain.v_bookings, brain.v_messages TO portal_brain;
            """;
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ask_questions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    question = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    read_by = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    answered = table.Column<bool>(type: "boolean", nullable: false),
                    model_problem = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    input_tokens = table.Column<int>(type: "integer", nullable: true),
                    output_tokens = table.Column<int>(type: "integer", nullable: true),
                    cost_micro_usd = table.Column<long>(type: "bigint", nullable: true),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ask_questions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ask_questions_tenant_id",
                table: "ask_questions",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_ask_questions_tenant_id_created_at",
                table: "ask_questions",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_bookings_tenant_id_created_at",
                table: "bookings",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_caller_messages_tenant_id_created_at",
                table: "caller_messages",
                columns: new[] { "tenant_id", "created_at" });

            // Appending a column keeps each view's owner and grants (CREATE OR REPLACE may only add columns at the end).
            migrationBuilder.Sql(Views(withUtc: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW brain.v_conversations; DROP VIEW brain.v_bookings; DROP VIEW brain.v_messages;");
            migrationBuilder.Sql(Views(withUtc: false));

            migrationBuilder.DropIndex(name: "ix_bookings_tenant_id_created_at", table: "bookings");
            migrationBuilder.DropIndex(name: "ix_caller_messages_tenant_id_created_at", table: "caller_messages");

            migrationBuilder.DropTable(
                name: "ask_questions");
        }
    }
}
