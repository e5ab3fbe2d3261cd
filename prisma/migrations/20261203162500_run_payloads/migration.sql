-- Claim-check storage for values too big for Temporal history (tool outputs above the threshold, big rendered
-- values): one row per value, behind the same team wall as the run tables.
-- CreateTable
CREATE TABLE "RunPayload" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "holdsRefs" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunPayload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RunPayload_runId_key_attempt_key" ON "RunPayload"("runId", "key", "attempt");

-- CreateIndex
CREATE INDEX "RunPayload_teamId_id_idx" ON "RunPayload"("teamId", "id");

-- AddForeignKey
ALTER TABLE "RunPayload" ADD CONSTRAINT "RunPayload_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The team wall (see the row_level_security migration).
SELECT manifold_isolate_team_table('RunPayload');
