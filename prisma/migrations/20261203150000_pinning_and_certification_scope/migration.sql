-- Pinning at install: the first listing of a new installation is approved only when someone who may approve
-- tools installed it (or it equals an approved snapshot of the same server in the team). Installations made
-- before this keep the trust-on-first-use they were created under.
ALTER TABLE "ServerInstallation" ADD COLUMN "firstListingApprovedBy" TEXT;
UPDATE "ServerInstallation" SET "firstListingApprovedBy" = 'system:before-pinning';

-- Tenant-scoped certification: only system certifications set a server's tier; a team's certification of its
-- own installation is that team's private report. Rows before this were mixed: those a team asked for become
-- that team's reports, so no team's earlier run keeps deciding everyone's tier.
CREATE TYPE "CertificationScope" AS ENUM ('system', 'team');
ALTER TABLE "Certification" ADD COLUMN "scope" "CertificationScope" NOT NULL DEFAULT 'system';
ALTER TABLE "Certification" ADD COLUMN "teamId" TEXT;
UPDATE "Certification" SET "scope" = 'team', "teamId" = "requestedByTeam" WHERE "requestedByTeam" IS NOT NULL;
CREATE INDEX "Certification_serverId_scope_teamId_id_idx" ON "Certification"("serverId", "scope", "teamId", "id" DESC);

-- Team reports are visible to their team only; system certifications to everyone (like public catalog rows).
ALTER TABLE "Certification" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Certification" FORCE ROW LEVEL SECURITY;
CREATE POLICY system_or_team_read ON "Certification" FOR SELECT TO manifold_app
  USING ("teamId" IS NULL OR "teamId" = current_setting('app.team_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_all ON "Certification" TO %I USING (true) WITH CHECK (true)', CURRENT_USER);
END
$$;
