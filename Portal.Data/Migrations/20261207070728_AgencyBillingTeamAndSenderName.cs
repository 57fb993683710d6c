using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgencyBillingTeamAndSenderName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "from_name",
                table: "outbox_messages",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stripe_customer_id",
                table: "agencies",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stripe_subscription_id",
                table: "agencies",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "agency_overage_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    month = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tier = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    up_to_minutes = table.Column<long>(type: "bigint", nullable: false),
                    minutes = table.Column<long>(type: "bigint", nullable: false),
                    identifier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agency_overage_events", x => x.id);
                    table.CheckConstraint("ck_agency_overage_events_minutes", "minutes > 0 AND up_to_minutes >= minutes");
                    table.ForeignKey(
                        name: "fk_agency_overage_events_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agency_overage_events_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agency_overage_events_agency_id",
                table: "agency_overage_events",
                column: "agency_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_overage_events_identifier",
                table: "agency_overage_events",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agency_overage_events_reported_at",
                table: "agency_overage_events",
                column: "reported_at");

            migrationBuilder.CreateIndex(
                name: "ix_agency_overage_events_tenant_id_month",
                table: "agency_overage_events",
                columns: new[] { "tenant_id", "month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agency_overage_events");

            migrationBuilder.DropColumn(
                name: "from_name",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "stripe_customer_id",
                table: "agencies");

            migrationBuilder.DropColumn(
                name: "stripe_subscription_id",
                table: "agencies");
        }
    }
}
