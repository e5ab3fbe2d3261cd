-- CreateEnum
CREATE TYPE "CircuitState" AS ENUM ('closed', 'open', 'half_open');

-- CreateTable
CREATE TABLE "InstallationCallGate" (
    "installationId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "state" "CircuitState" NOT NULL DEFAULT 'closed',
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "windowCalls" INTEGER NOT NULL DEFAULT 0,
    "windowFailures" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedAt" TIMESTAMP(3),
    "probesInFlight" INTEGER NOT NULL DEFAULT 0,
    "nextSlotAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstallationCallGate_pkey" PRIMARY KEY ("installationId")
);

-- CreateTable
CREATE TABLE "InstallationCallLease" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstallationCallLease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircuitEvent" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "fromState" "CircuitState" NOT NULL,
    "toState" "CircuitState" NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CircuitEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InstallationCallGate_teamId_idx" ON "InstallationCallGate"("teamId");

-- CreateIndex
CREATE INDEX "InstallationCallLease_installationId_expiresAt_idx" ON "InstallationCallLease"("installationId", "expiresAt");

-- CreateIndex
CREATE INDEX "CircuitEvent_installationId_id_idx" ON "CircuitEvent"("installationId", "id" DESC);

-- AddForeignKey
ALTER TABLE "InstallationCallGate" ADD CONSTRAINT "InstallationCallGate_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallationCallLease" ADD CONSTRAINT "InstallationCallLease_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircuitEvent" ADD CONSTRAINT "CircuitEvent_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
