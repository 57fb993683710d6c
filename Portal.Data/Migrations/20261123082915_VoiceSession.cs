using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class VoiceSession : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "audio_end_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "audio_start_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "confidence",
                table: "turns",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "frame_out_latency_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "interrupted",
                table: "turns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "model_latency_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "speech_latency_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "transcript_latency_ms",
                table: "turns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "caller_region",
                table: "conversations",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "recording_consent",
                table: "conversations",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "recording_enabled",
                table: "agent_personas",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "call_recordings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: true),
                    file_path = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_recordings", x => x.id);
                    table.ForeignKey(
                        name: "fk_call_recordings_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_updated_at",
                table: "conversations",
                column: "updated_at",
                filter: "ended_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_call_recordings_conversation_id",
                table: "call_recordings",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_recordings_tenant_id",
                table: "call_recordings",
                column: "tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "call_recordings");

            migrationBuilder.DropIndex(
                name: "ix_conversations_updated_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "audio_end_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "audio_start_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "confidence",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "frame_out_latency_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "interrupted",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "model_latency_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "speech_latency_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "transcript_latency_ms",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "caller_region",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "recording_consent",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "recording_enabled",
                table: "agent_personas");
        }
    }
}
