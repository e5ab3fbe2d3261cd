-- Row-level security for the catalog branch's tenant tables: the same team_isolation policy as every tenant
-- table, keyed on the transaction-local app.team_id that inTeam() sets.

ALTER TABLE "ToolSnapshot" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ToolSnapshot" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "ToolSnapshot" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "ToolSnapshot" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "ToolSnapshot" TO manifold_app;

ALTER TABLE "TeamServerPolicy" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeamServerPolicy" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "TeamServerPolicy" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "TeamServerPolicy" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "TeamServerPolicy" TO manifold_app;

ALTER TABLE "ServerTierAlert" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ServerTierAlert" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "ServerTierAlert" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "ServerTierAlert" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "ServerTierAlert" TO manifold_app;
