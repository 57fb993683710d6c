using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <summary>
    /// Analytics and "ask your data" at 100,000 conversations without per-row time-zone conversion (docs/benchmarks.md,
    /// "Brain: analytics and ask-your-data at 100,000 conversations"): each conversation stores its start in its business's
    /// zone, <c>local_started_at</c>, kept by triggers (on insert or a change of start or business, and for every conversation
    /// of a business whose time zone changes) and indexed with the tenant; existing rows are filled here. The
    /// <c>brain.v_conversations</c> view reads it instead of converting <c>started_at</c> per row (so it no longer joins
    /// <c>tenants</c>). Two partial indexes on <c>turns</c> serve the Analytics page: the caller turns that asked about a
    /// service (the funnel) and the agent turns' latency.
    /// </summary>
    public partial class Brain_LocalTimes : Migration
    {
        private const string Tenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

        // A zone PostgreSQL does not know (or no business row) must not stop a conversation from being stored: it then counts in UTC.
        private const string Triggers = """
            CREATE FUNCTION portal_local_time(at timestamptz, zone text) RETURNS timestamp LANGUAGE plpgsql STABLE AS $$
            BEGIN
                RETURN at AT TIME ZONE COALESCE(zone, 'UTC');
            EXCEPTION WHEN invalid_parameter_value THEN
                RETURN at AT TIME ZONE 'UTC';
            END $$;

            CREATE FUNCTION conversations_set_local_started_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.local_started_at := portal_local_time(NEW.started_at, (SELECT t.time_zone_id FROM tenants t WHERE t.id = NEW.tenant_id));
                RETURN NEW;
            END $$;

            CREATE TRIGGER conversations_local_started_at BEFORE INSERT OR UPDATE OF started_at, tenant_id ON conversations
                FOR EACH ROW EXECUTE FUNCTION conversations_set_local_started_at();

            CREATE FUNCTION tenants_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE conversations SET local_started_at = portal_local_time(started_at, NEW.time_zone_id) WHERE tenant_id = NEW.id;
                RETURN NULL;
            END $$;

            CREATE TRIGGER tenants_time_zone_changed AFTER UPDATE OF time_zone_id ON tenants
                FOR EACH ROW WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION tenants_time_zone_changed();
            """;

        private static string ConversationsView(bool stored) => $"""
            DROP VIEW brain.v_conversations;
            CREATE VIEW brain.v_conversations WITH (security_barrier = true) AS
            SELECT c.tenant_id, c.id, c.channel, c.outcome,
                   {(stored ? "c.local_started_at" : "(c.started_at AT TIME ZONE t.time_zone_id)")} AS local_at,
                   COALESCE(c.duration_seconds::double precision, EXTRACT(EPOCH FROM c.ended_at - c.started_at)::double precision) AS duration_s,
                   c.customer_phone, i.sentiment, i.lead_score, COALESCE(i.intents, '{"{}"}'::text[]) AS intents, c.started_at AS at_utc
            FROM conversations c
            {(stored ? "" : "JOIN tenants t ON t.id = c.tenant_id")}
            LEFT JOIN conversation_insights i ON i.conversation_id = c.id
            WHERE NOT c.is_test AND c.tenant_id = {Tenant};
            ALTER VIEW brain.v_conversations OWNER TO portal_brain_owner;
            GRANT SELECT ON brain.v_conversations TO portal_brain;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_turns_agent_latency",
                table: "turns",
                column: "conversation_id",
                filter: "speaker = 'Agent' AND latency_ms IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "tenant_id", "latency_ms" });

            migrationBuilder.CreateIndex(
                name: "ix_turns_service_asks",
                table: "turns",
                column: "conversation_id",
                filter: "speaker = 'Customer' AND intent IN ('Book', 'Reschedule', 'Services')");

            migrationBuilder.Sql("ALTER TABLE conversations ADD COLUMN local_started_at timestamp without time zone;");
            migrationBuilder.Sql(Triggers);
            migrationBuilder.Sql("""
                UPDATE conversations c SET local_started_at = portal_local_time(c.started_at, t.time_zone_id) FROM tenants t WHERE t.id = c.tenant_id;
                ALTER TABLE conversations ALTER COLUMN local_started_at SET NOT NULL;
                CREATE INDEX ix_conversations_tenant_id_local_started_at ON conversations (tenant_id, local_started_at);
                GRANT SELECT (local_started_at) ON conversations TO portal_brain_owner;
                """);
            migrationBuilder.Sql(ConversationsView(stored: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ConversationsView(stored: false));
            migrationBuilder.Sql("""
                DROP TRIGGER tenants_time_zone_changed ON tenants;
                DROP TRIGGER conversations_local_started_at ON conversations;
                DROP FUNCTION tenants_time_zone_changed();
                DROP FUNCTION conversations_set_local_started_at();
                DROP FUNCTION portal_local_time(timestamptz, text);
                ALTER TABLE conversations DROP COLUMN local_started_at;
                """);

            migrationBuilder.DropIndex(
                name: "ix_turns_agent_latency",
                table: "turns");

            migrationBuilder.DropIndex(
                name: "ix_turns_service_asks",
                table: "turns");
        }
    }
}
