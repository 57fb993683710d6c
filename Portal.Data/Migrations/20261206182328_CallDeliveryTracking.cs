using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class CallDeliveryTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "heard_text",
                table: "turns",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "playback_pending",
                table: "turns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "end_reason",
                table: "conversations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stream_sid",
                table: "conversations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_turns_playback_pending",
                table: "turns",
                column: "playback_pending",
                filter: "playback_pending");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_turns_playback_pending",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "heard_text",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "playback_pending",
                table: "turns");

            migrationBuilder.DropColumn(
                name: "end_reason",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "stream_sid",
                table: "conversations");
        }
    }
}
