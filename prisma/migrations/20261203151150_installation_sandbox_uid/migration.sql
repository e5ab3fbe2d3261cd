-- Each installation gets a number of its own for its sandbox uid (MANIFOLD_SANDBOX_UID_BASE + sandboxUid): existing rows
-- are numbered by the serial, new ones take the next value; a deleted installation's number is never reused.
-- AlterTable
ALTER TABLE "ServerInstallation" ADD COLUMN     "sandboxUid" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ServerInstallation_sandboxUid_key" ON "ServerInstallation"("sandboxUid");
