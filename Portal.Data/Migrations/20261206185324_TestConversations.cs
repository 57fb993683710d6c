using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class TestConversations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_test",
                table: "conversations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Existing tests: console chats (channel Test) and browser test calls, the only voice conversations opened
            // without a provider call id (every phone call has its CallSid from the webhook).
            migrationBuilder.Sql("UPDATE conversations SET is_test = TRUE WHERE channel = 'Test' OR (channel = 'Voice' AND call_sid IS NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_test",
                table: "conversations");
        }
    }
}
