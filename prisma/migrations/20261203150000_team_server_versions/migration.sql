-- Versioned team-private catalog entries: every change of a team entry's command, URL or declarations is a new
-- immutable McpServerVersion, and each installation records the revision it runs.
ALTER TABLE "McpServer" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "ServerInstallation" ADD COLUMN "serverRevision" INTEGER;

CREATE TABLE "McpServerVersion" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "command" TEXT[],
    "url" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "McpServerVersion_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "McpServerVersion_serverId_revision_key" ON "McpServerVersion"("serverId", "revision");
CREATE INDEX "McpServerVersion_teamId_idx" ON "McpServerVersion"("teamId");
ALTER TABLE "McpServerVersion" ADD CONSTRAINT "McpServerVersion_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Entries created before versions existed: their current settings are revision 1, run by their installations.
INSERT INTO "McpServerVersion" ("id", "teamId", "serverId", "revision", "version", "command", "url", "metadata", "actorType", "actorId", "createdAt")
SELECT gen_random_uuid()::text, "teamId", "id", 1, "version", "command", "url", "metadata", 'system', NULL, "createdAt"
FROM "McpServer" WHERE "teamId" IS NOT NULL;
UPDATE "ServerInstallation" i SET "serverRevision" = 1
FROM "McpServer" s WHERE s."id" = i."serverId" AND s."teamId" IS NOT NULL;

SELECT manifold_isolate_team_table('McpServerVersion');
