using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Billing_Currencies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "currency",
                table: "billing_credits",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "usd");

            migrationBuilder.AddColumn<string>(
                name: "currency",
                table: "billing_accounts",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "usd");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "currency",
                table: "billing_credits");

            migrationBuilder.DropColumn(
                name: "currency",
                table: "billing_accounts");
        }
    }
}
