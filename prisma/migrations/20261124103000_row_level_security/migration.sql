-- Row-level security: the second wall between teams (the first is @manifold/db filtering every query by team).
--
-- * `manifold_app` (NOLOGIN) is the role the application runs as: createDatabase() opens every pooled
--   connection with `-c role=manifold_app`. It owns nothing, so RLS always applies to it.
-- * Tenant tables ENABLE + FORCE row-level security. manifold_app's policies admit a row only when its
--   "teamId" equals the transaction-local setting `app.team_id` (set by inTeam()). No setting = no rows;
--   writes of another team's rows fail WITH CHECK.
-- * The table owner (the role that runs migrations, CURRENT_USER here) keeps an explicit all-rows policy:
--   FORCE would otherwise lock it out too. It is the system path: migrations, public catalog seeding
--   (createSystemDatabase) and the SECURITY DEFINER lookup below.
-- * Pre-authentication lookups that cannot know the team go through narrow SECURITY DEFINER functions.

-- Roles are cluster-wide and test databases are cloned from one template: create the role only if missing,
-- and tolerate a concurrent migration creating it at the same moment.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'manifold_app') THEN
    CREATE ROLE manifold_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- The login role must be able to switch to manifold_app (superusers always can).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = CURRENT_USER) THEN
    EXECUTE format('GRANT manifold_app TO %I', CURRENT_USER);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO manifold_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO manifold_app;
-- Migration bookkeeping is not the application's business (absent when Prisma replays into a shadow DB).
DO $$
BEGIN
  IF to_regclass('public."_prisma_migrations"') IS NOT NULL THEN
    REVOKE ALL ON "_prisma_migrations" FROM manifold_app;
  END IF;
END
$$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO manifold_app;
-- Tables and sequences that later migrations create are granted too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO manifold_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO manifold_app;

-- One team policy for manifold_app and one owner policy per tenant table.
-- One way to put a tenant table behind the wall, used by this and every later migration that adds one: RLS
-- enabled and forced, the app role sees and writes only rows of the transaction's team (app.team_id), and the
-- migration owner keeps full access (FORCE applies RLS to the owner too).
CREATE FUNCTION manifold_isolate_team_table(table_name text) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
  EXECUTE format(
    'CREATE POLICY team_isolation ON %I TO manifold_app USING ("teamId" = current_setting(''app.team_id'', true)) WITH CHECK ("teamId" = current_setting(''app.team_id'', true))',
    table_name);
  EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', table_name, CURRENT_USER);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO manifold_app', table_name);
END
$fn$;
REVOKE ALL ON FUNCTION manifold_isolate_team_table(text) FROM PUBLIC;

SELECT manifold_isolate_team_table(t)
FROM unnest(ARRAY['ApiKey', 'ServerInstallation', 'Workflow', 'WorkflowVersion', 'Run', 'RunStep', 'StepAttempt', 'AuditLog']) AS t;

ALTER TABLE "McpServer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "McpServer" FORCE ROW LEVEL SECURITY;
CREATE POLICY public_or_team_read ON "McpServer" FOR SELECT TO manifold_app
  USING ("teamId" IS NULL OR "teamId" = current_setting('app.team_id', true));
CREATE POLICY team_insert ON "McpServer" FOR INSERT TO manifold_app
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
CREATE POLICY team_update ON "McpServer" FOR UPDATE TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
CREATE POLICY team_delete ON "McpServer" FOR DELETE TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "McpServer" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;

-- API key authentication: the key's public prefix decides the team, so the lookup runs before any team is
-- known. Exactly one row by exact prefix; the caller still compares the hash in constant time.
CREATE FUNCTION manifold_api_key_by_prefix(key_prefix text)
RETURNS SETOF "ApiKey"
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$ SELECT * FROM "ApiKey" WHERE prefix = key_prefix LIMIT 1 $$;
REVOKE ALL ON FUNCTION manifold_api_key_by_prefix(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION manifold_api_key_by_prefix(text) TO manifold_app;
