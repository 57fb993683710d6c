using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Customers_Timeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "customer_id",
                table: "conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "customer_id",
                table: "bookings",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    first_contact_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_contact_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_customer_id",
                table: "conversations",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookings_customer_id",
                table: "bookings",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id",
                table: "customers",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id_email",
                table: "customers",
                columns: new[] { "tenant_id", "email" },
                unique: true,
                filter: "email IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id_last_contact_at",
                table: "customers",
                columns: new[] { "tenant_id", "last_contact_at" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id_phone",
                table: "customers",
                columns: new[] { "tenant_id", "phone" },
                unique: true,
                filter: "phone IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_bookings_customers_customer_id",
                table: "bookings",
                column: "customer_id",
                principalTable: "customers",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_conversations_customers_customer_id",
                table: "conversations",
                column: "customer_id",
                principalTable: "customers",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            // Backfill: one customer per tenant and E.164 number seen on a real conversation or a booking (named by the latest
            // name given), then attach those conversations and bookings. Test conversations and withheld numbers stay unlinked.
            migrationBuilder.Sql("""
                INSERT INTO customers (id, tenant_id, name, phone, email, notes, first_contact_at, last_contact_at, created_at, updated_at)
                SELECT gen_random_uuid(), tenant_id,
                       (array_agg(name ORDER BY at DESC) FILTER (WHERE name IS NOT NULL AND btrim(name) <> ''))[1],
                       phone, NULL, '', min(at), max(at), now(), now()
                FROM (
                    SELECT tenant_id, customer_phone AS phone, customer_name AS name, started_at AS at
                    FROM conversations WHERE NOT is_test AND customer_phone ~ '^\+[1-9][0-9]{6,14}$'
                    UNION ALL
                    SELECT tenant_id, customer_phone, customer_name, created_at
                    FROM bookings WHERE customer_phone ~ '^\+[1-9][0-9]{6,14}$'
                ) contacts
                GROUP BY tenant_id, phone;

                UPDATE conversations c SET customer_id = cu.id
                FROM customers cu WHERE cu.tenant_id = c.tenant_id AND cu.phone = c.customer_phone AND NOT c.is_test;

                UPDATE bookings b SET customer_id = cu.id
                FROM customers cu WHERE cu.tenant_id = b.tenant_id AND cu.phone = b.customer_phone;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_bookings_customers_customer_id",
                table: "bookings");

            migrationBuilder.DropForeignKey(
                name: "fk_conversations_customers_customer_id",
                table: "conversations");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropIndex(
                name: "ix_conversations_customer_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_bookings_customer_id",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "customer_id",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "customer_id",
                table: "bookings");
        }
    }
}
