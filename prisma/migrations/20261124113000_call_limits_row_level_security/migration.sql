-- Row-level security for the engine branch's call-limit tables: the same team_isolation policy as every tenant
-- table, keyed on the transaction-local app.team_id that inTeam() sets.

ALTER TABLE "InstallationCallGate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InstallationCallGate" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "InstallationCallGate" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "InstallationCallGate" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "InstallationCallGate" TO manifold_app;

ALTER TABLE "InstallationCallLease" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InstallationCallLease" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "InstallationCallLease" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "InstallationCallLease" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "InstallationCallLease" TO manifold_app;

ALTER TABLE "CircuitEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CircuitEvent" FORCE ROW LEVEL SECURITY;
CREATE POLICY team_isolation ON "CircuitEvent" TO manifold_app
  USING ("teamId" = current_setting('app.team_id', true))
  WITH CHECK ("teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "CircuitEvent" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "CircuitEvent" TO manifold_app;
