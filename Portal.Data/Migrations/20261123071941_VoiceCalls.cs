using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class VoiceCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "call_sid",
                table: "conversations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "call_status",
                table: "conversations",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "duration_seconds",
                table: "conversations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "from_number",
                table: "conversations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_status_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "last_status_sequence",
                table: "conversations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "to_number",
                table: "conversations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_call_sid",
                table: "conversations",
                column: "call_sid",
                unique: true,
                filter: "call_sid IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_call_sid",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "call_sid",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "call_status",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "duration_seconds",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "from_number",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "last_status_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "last_status_sequence",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "to_number",
                table: "conversations");
        }
    }
}
