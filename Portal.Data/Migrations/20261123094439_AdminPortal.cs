using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminPortal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "number_purchase_batches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by_user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_count = table.Column<int>(type: "integer", nullable: false),
                    is_bulk = table.Column<bool>(type: "boolean", nullable: false),
                    search_area_code = table.Column<int>(type: "integer", nullable: true),
                    search_region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    search_locality = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    search_contains = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    voice_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    status_callback_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    monthly_cost_cents = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    processed_count = table.Column<int>(type: "integer", nullable: false),
                    succeeded_count = table.Column<int>(type: "integer", nullable: false),
                    failed_count = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_number_purchase_batches", x => x.id);
                    table.CheckConstraint("ck_number_purchase_batches_count", "requested_count BETWEEN 1 AND 100");
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    to = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    category = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "pool_drift_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    e164 = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    provider_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_number_id = table.Column<Guid>(type: "uuid", nullable: true),
                    expected_voice_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    actual_voice_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    expected_status_callback_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    actual_status_callback_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolution = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pool_drift_findings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "number_purchase_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    e164 = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    locality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    provider_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_number_id = table.Column<Guid>(type: "uuid", nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_number_purchase_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_number_purchase_items_number_purchase_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "number_purchase_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_phone_numbers_e164_trgm",
                table: "phone_numbers",
                column: "e164")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_number_purchase_batches_created_at",
                table: "number_purchase_batches",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_number_purchase_items_batch_id_e164",
                table: "number_purchase_items",
                columns: new[] { "batch_id", "e164" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created_at",
                table: "outbox_messages",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_kind_created_at",
                table: "outbox_messages",
                columns: new[] { "kind", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_tenant_id",
                table: "outbox_messages",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_pool_drift_findings_kind_e164",
                table: "pool_drift_findings",
                columns: new[] { "kind", "e164" },
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_pool_drift_findings_resolved_at",
                table: "pool_drift_findings",
                column: "resolved_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "number_purchase_items");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "pool_drift_findings");

            migrationBuilder.DropTable(
                name: "number_purchase_batches");

            migrationBuilder.DropIndex(
                name: "ix_phone_numbers_e164_trgm",
                table: "phone_numbers");
        }
    }
}
