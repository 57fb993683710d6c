using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Widget_LiveChat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "handover_requested_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "taken_over_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "taken_over_by_name",
                table: "conversations",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "taken_over_by_user_id",
                table: "conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "chat_widgets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent_persona_id = table.Column<Guid>(type: "uuid", nullable: false),
                    public_key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    allowed_origins = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    colour = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    handover_wait_seconds = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_widgets", x => x.id);
                    table.ForeignKey(
                        name: "fk_chat_widgets_agent_personas_agent_persona_id",
                        column: x => x.agent_persona_id,
                        principalTable: "agent_personas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_widgets_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbound_sms",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_sms", x => x.id);
                    table.ForeignKey(
                        name: "fk_inbound_sms_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sms_opt_outs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    phone_number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    opted_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_opt_outs", x => x.id);
                    table.ForeignKey(
                        name: "fk_sms_opt_outs_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "widget_visitors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    chat_widget_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_widget_visitors", x => x.id);
                    table.ForeignKey(
                        name: "fk_widget_visitors_chat_widgets_chat_widget_id",
                        column: x => x.chat_widget_id,
                        principalTable: "chat_widgets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_widget_visitors_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_chat_widgets_agent_persona_id",
                table: "chat_widgets",
                column: "agent_persona_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_widgets_public_key",
                table: "chat_widgets",
                column: "public_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_chat_widgets_tenant_id",
                table: "chat_widgets",
                column: "tenant_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_sms_message_sid",
                table: "inbound_sms",
                column: "message_sid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_sms_tenant_id",
                table: "inbound_sms",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_sms_opt_outs_tenant_id",
                table: "sms_opt_outs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_sms_opt_outs_tenant_id_phone_number",
                table: "sms_opt_outs",
                columns: new[] { "tenant_id", "phone_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_widget_visitors_chat_widget_id",
                table: "widget_visitors",
                column: "chat_widget_id");

            migrationBuilder.CreateIndex(
                name: "ix_widget_visitors_conversation_id",
                table: "widget_visitors",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_widget_visitors_tenant_id",
                table: "widget_visitors",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_widget_visitors_token_hash",
                table: "widget_visitors",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbound_sms");

            migrationBuilder.DropTable(
                name: "sms_opt_outs");

            migrationBuilder.DropTable(
                name: "widget_visitors");

            migrationBuilder.DropTable(
                name: "chat_widgets");

            migrationBuilder.DropColumn(
                name: "handover_requested_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "taken_over_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "taken_over_by_name",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "taken_over_by_user_id",
                table: "conversations");
        }
    }
}
