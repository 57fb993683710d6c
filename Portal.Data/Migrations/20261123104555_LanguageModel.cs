using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class LanguageModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "cost_micro_usd",
                table: "turns",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "engine",
                table: "turns",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "input_tokens",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "model",
                table: "turns",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "output_tokens",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "fallback_reason",
                table: "conversations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "fell_back_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "llm_max_output_tokens",
                table: "agent_personas",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "llm_model",
                table: "agent_personas",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "llm_temperature",
                table: "agent_personas",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "offline_only",
                table: "agent_personas",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "language_model_settings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    base_url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    protected_api_key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    api_key_last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_language_model_settings", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "language_model_settings");

            migrationBuilder.DropColumn(
                name: "cost_micro_usd",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "engine",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "input_tokens",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "model",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "output_tokens",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "fallback_reason",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "fell_back_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "llm_max_output_tokens",
                table: "agent_personas");

            migrationBuilder.DropColumn(
                name: "llm_model",
                table: "agent_personas");

            migrationBuilder.DropColumn(
                name: "llm_temperature",
                table: "agent_personas");

            migrationBuilder.DropColumn(
                name: "offline_only",
                table: "agent_personas");
        }
    }
}
