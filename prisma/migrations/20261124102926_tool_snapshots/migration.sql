-- CreateEnum
CREATE TYPE "ToolSnapshotStatus" AS ENUM ('approved', 'pending', 'superseded');

-- CreateTable
CREATE TABLE "ToolSnapshot" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "tools" JSONB NOT NULL,
    "setHash" TEXT NOT NULL,
    "status" "ToolSnapshotStatus" NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ToolSnapshot_teamId_installationId_id_idx" ON "ToolSnapshot"("teamId", "installationId", "id" DESC);

-- AddForeignKey
ALTER TABLE "ToolSnapshot" ADD CONSTRAINT "ToolSnapshot_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
