-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('unverified', 'community', 'verified', 'certified');

-- CreateTable
CREATE TABLE "Certification" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "serverVersion" TEXT NOT NULL,
    "tier" "Tier" NOT NULL,
    "scores" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "evaluatorVersion" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "requestedByTeam" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Certification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamServerPolicy" (
    "teamId" TEXT NOT NULL,
    "minTier" "Tier" NOT NULL DEFAULT 'unverified',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeamServerPolicy_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "ServerTierAlert" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "fromTier" "Tier" NOT NULL,
    "toTier" "Tier" NOT NULL,
    "certificationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMP(3),

    CONSTRAINT "ServerTierAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Certification_serverId_id_idx" ON "Certification"("serverId", "id" DESC);

-- CreateIndex
CREATE INDEX "ServerTierAlert_teamId_id_idx" ON "ServerTierAlert"("teamId", "id" DESC);

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
