import type { SecretView } from '@manifold/services';

/** Metadata only: there is no field that could carry the value. */
export const presentSecret = (s: SecretView) => ({
  name: s.name,
  description: s.description,
  version: s.version,
  fingerprint: s.fingerprint,
  usedBy: s.usedBy,
  createdBy: s.createdBy,
  updatedBy: s.updatedBy,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});
