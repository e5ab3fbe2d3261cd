-- Row-level security for the secret tables (added on a branch beside the RLS migration): the same policy as
-- every tenant table, keyed on the transaction-local app.team_id that inTeam() sets.

ALTER TABLE "TeamKey" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeamKey" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "TeamKey" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "TeamKey" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "TeamKey" TO manifold_app;

ALTER TABLE "Secret" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Secret" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "Secret" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "Secret" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "Secret" TO manifold_app;

ALTER TABLE "SecretVersion" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SecretVersion" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "SecretVersion" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "SecretVersion" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "SecretVersion" TO manifold_app;
