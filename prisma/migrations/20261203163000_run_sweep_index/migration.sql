-- The run sweep (reconciliation) scans open runs oldest first, across teams.
CREATE INDEX "Run_status_createdAt_idx" ON "Run"("status", "createdAt");
