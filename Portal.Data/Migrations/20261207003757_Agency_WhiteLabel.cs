using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Agency_WhiteLabel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "agency_id",
                table: "tenants",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "agencies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    primary_color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    secondary_color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    logo = table.Column<byte[]>(type: "bytea", nullable: true),
                    logo_content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    favicon = table.Column<byte[]>(type: "bytea", nullable: true),
                    favicon_content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    support_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    support_phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    email_sender_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    sms_sender = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    legal_footer = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    template_greeting = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    template_instructions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    template_voice_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    shared_knowledge = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agencies", x => x.id);
                    table.CheckConstraint("ck_agencies_logo_size", "octet_length(logo) <= 262144 AND octet_length(favicon) <= 262144");
                });

            migrationBuilder.CreateTable(
                name: "agency_client_plans",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tier = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    monthly_fee_cents = table.Column<long>(type: "bigint", nullable: false),
                    included_minutes = table.Column<int>(type: "integer", nullable: false),
                    overage_cents_per_minute = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agency_client_plans", x => x.tenant_id);
                    table.CheckConstraint("ck_agency_client_plans_money", "monthly_fee_cents >= 0 AND included_minutes >= 0 AND overage_cents_per_minute >= 0");
                    table.ForeignKey(
                        name: "fk_agency_client_plans_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agency_client_plans_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agency_domains",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    verification_token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    last_checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agency_domains", x => x.id);
                    table.ForeignKey(
                        name: "fk_agency_domains_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agency_members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agency_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_agency_members_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agency_members_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tenants_agency_id",
                table: "tenants",
                column: "agency_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_client_plans_agency_id",
                table: "agency_client_plans",
                column: "agency_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_client_plans_tenant_id",
                table: "agency_client_plans",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_domains_agency_id",
                table: "agency_domains",
                column: "agency_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_domains_host",
                table: "agency_domains",
                column: "host",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agency_members_agency_id",
                table: "agency_members",
                column: "agency_id");

            migrationBuilder.CreateIndex(
                name: "ix_agency_members_user_id",
                table: "agency_members",
                column: "user_id",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_tenants_agencies_agency_id",
                table: "tenants",
                column: "agency_id",
                principalTable: "agencies",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_tenants_agencies_agency_id",
                table: "tenants");

            migrationBuilder.DropTable(
                name: "agency_client_plans");

            migrationBuilder.DropTable(
                name: "agency_domains");

            migrationBuilder.DropTable(
                name: "agency_members");

            migrationBuilder.DropTable(
                name: "agencies");

            migrationBuilder.DropIndex(
                name: "ix_tenants_agency_id",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "agency_id",
                table: "tenants");
        }
    }
}
