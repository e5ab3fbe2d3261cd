import type { InstallationWithServer } from '@manifold/db';

export const presentInstallation = (i: InstallationWithServer) => ({
  name: i.name,
  server: i.server.slug,
  transport: i.server.transport,
  config: i.config,
  limits: i.limits,
  toolsSnapshotAt: i.toolsSnapshotAt?.toISOString() ?? null,
  toolCount: Array.isArray(i.toolsSnapshot) ? i.toolsSnapshot.length : null,
  createdAt: i.createdAt.toISOString(),
});
