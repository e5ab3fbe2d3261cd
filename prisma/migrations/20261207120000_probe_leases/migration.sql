-- Half-open probe slots become expiring leases (like concurrency leases), so a worker killed during its probe
-- cannot hold the circuit half-open for good. The old counter goes: a gate stuck with probesInFlight = 1 lets
-- its next call through as a probe after this migration.
ALTER TABLE "InstallationCallLease" ADD COLUMN "isProbe" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "InstallationCallGate" DROP COLUMN "probesInFlight";
