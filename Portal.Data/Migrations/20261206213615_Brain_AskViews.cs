using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <summary>
    /// The "ask your data" read path (Brain/Ask/AskService.cs): schema <c>brain</c> with one view per catalogue source, the
    /// role <c>portal_brain</c> that questions run as (SELECT on those views and nothing else), and the role
    /// <c>portal_brain_owner</c> that owns the views, may read only the columns they use, and is subject to row-level
    /// security policies on those tables keyed on <c>app.tenant_id</c> (set per transaction with SET LOCAL). The app's own
    /// role owns the tables and so is not affected by the policies. Roles are cluster-wide and kept on Down.
    /// </summary>
    public partial class Brain_AskViews : Migration
    {
        private static readonly string[] Tables = ["conversations", "tenants", "conversation_insights", "bookings", "services", "caller_messages"];

        private const string Tenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- Roles are cluster-wide: databases migrated at the same moment (parallel test classes) may race to create them.
                DO $$ BEGIN
                    BEGIN CREATE ROLE portal_brain NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
                    BEGIN CREATE ROLE portal_brain_owner NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
                    BEGIN GRANT portal_brain TO CURRENT_USER; EXCEPTION WHEN OTHERS THEN
                        IF NOT pg_has_role(CURRENT_USER, 'portal_brain', 'MEMBER') THEN RAISE; END IF;
                    END;
                END $$;
                CREATE SCHEMA IF NOT EXISTS brain;
                REVOKE ALL ON SCHEMA brain FROM PUBLIC;
                GRANT USAGE ON SCHEMA brain TO portal_brain, portal_brain_owner;
                GRANT USAGE ON SCHEMA public TO portal_brain_owner;
                GRANT SELECT (id, tenant_id, channel, outcome, started_at, ended_at, duration_seconds, customer_phone, is_test) ON conversations TO portal_brain_owner;
                GRANT SELECT (id, time_zone_id) ON tenants TO portal_brain_owner;
                GRANT SELECT (tenant_id, conversation_id, sentiment, lead_score, intents) ON conversation_insights TO portal_brain_owner;
                GRANT SELECT (id, tenant_id, service_id, created_at, status, price_cents, customer_phone) ON bookings TO portal_brain_owner;
                GRANT SELECT (id, tenant_id, name) ON services TO portal_brain_owner;
                GRANT SELECT (id, tenant_id, created_at, status) ON caller_messages TO portal_brain_owner;
                """);
            foreach (var table in Tables)
            {
                string key = table == "tenants" ? "id" : "tenant_id";
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY brain_tenant_read ON {table} FOR SELECT TO portal_brain_owner USING ({key} = {Tenant});
                    """);
            }

            migrationBuilder.Sql($"""
                CREATE VIEW brain.v_conversations WITH (security_barrier = true) AS
                SELECT c.tenant_id, c.id, c.channel, c.outcome,
                       (c.started_at AT TIME ZONE t.time_zone_id) AS local_at,
                       COALESCE(c.duration_seconds::double precision, EXTRACT(EPOCH FROM c.ended_at - c.started_at)::double precision) AS duration_s,
                       c.customer_phone, i.sentiment, i.lead_score, COALESCE(i.intents, '{"{}"}'::text[]) AS intents
                FROM conversations c
                JOIN tenants t ON t.id = c.tenant_id
                LEFT JOIN conversation_insights i ON i.conversation_id = c.id
                WHERE NOT c.is_test AND c.tenant_id = {Tenant};

                CREATE VIEW brain.v_bookings WITH (security_barrier = true) AS
                SELECT b.tenant_id, b.id, s.name AS service_name, (b.created_at AT TIME ZONE t.time_zone_id) AS local_at,
                       b.status, b.price_cents, b.customer_phone
                FROM bookings b
                JOIN tenants t ON t.id = b.tenant_id
                JOIN services s ON s.id = b.service_id
                WHERE b.tenant_id = {Tenant};

                CREATE VIEW brain.v_messages WITH (security_barrier = true) AS
                SELECT m.tenant_id, m.id, (m.created_at AT TIME ZONE t.time_zone_id) AS local_at, m.status
                FROM caller_messages m
                JOIN tenants t ON t.id = m.tenant_id
                WHERE m.tenant_id = {Tenant};

                ALTER VIEW brain.v_conversations OWNER TO portal_brain_owner;
                ALTER VIEW brain.v_bookings OWNER TO portal_brain_owner;
                ALTER VIEW brain.v_messages OWNER TO portal_brain_owner;
                GRANT SELECT ON brain.v_conversations, brain.v_bookings, brain.v_messages TO portal_brain;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW IF EXISTS brain.v_messages; DROP VIEW IF EXISTS brain.v_bookings; DROP VIEW IF EXISTS brain.v_conversations; DROP SCHEMA IF EXISTS brain;");
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"DROP POLICY IF EXISTS brain_tenant_read ON {table}; ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;");
            }

            migrationBuilder.Sql("""
                REVOKE ALL ON conversations, tenants, conversation_insights, bookings, services, caller_messages FROM portal_brain_owner;
                REVOKE USAGE ON SCHEMA public FROM portal_brain_owner;
                """);
        }
    }
}
