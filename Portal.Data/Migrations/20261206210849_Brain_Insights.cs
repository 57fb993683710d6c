using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Brain_Insights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversation_insights",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    summary = table.Column<string>(type: "character varying(1200)", maxLength: 1200, nullable: false),
                    intents = table.Column<List<string>>(type: "text[]", nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    sentiment = table.Column<double>(type: "double precision", nullable: false),
                    sentiment_turns = table.Column<List<int>>(type: "integer[]", nullable: false),
                    lead_score = table.Column<int>(type: "integer", nullable: false),
                    lead_reasons = table.Column<List<string>>(type: "text[]", nullable: false),
                    follow_up_needed = table.Column<bool>(type: "boolean", nullable: false),
                    follow_up_reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    fields = table.Column<string>(type: "jsonb", nullable: false),
                    engine = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cost_micro_usd = table.Column<long>(type: "bigint", nullable: true),
                    redacted_count = table.Column<int>(type: "integer", nullable: false),
                    protected_original = table.Column<string>(type: "text", nullable: true),
                    analyzed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_insights", x => x.id);
                    table.ForeignKey(
                        name: "fk_conversation_insights_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "redaction_settings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    categories = table.Column<int>(type: "integer", maxLength: 32, nullable: false),
                    keep_encrypted_original = table.Column<bool>(type: "boolean", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_redaction_settings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_insights_conversation_id",
                table: "conversation_insights",
                column: "conversation_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_insights_tenant_id",
                table: "conversation_insights",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversation_insights_tenant_id_lead_score",
                table: "conversation_insights",
                columns: new[] { "tenant_id", "lead_score" });

            migrationBuilder.CreateIndex(
                name: "ix_redaction_settings_tenant_id",
                table: "redaction_settings",
                column: "tenant_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversation_insights");

            migrationBuilder.DropTable(
                name: "redaction_settings");
        }
    }
}
