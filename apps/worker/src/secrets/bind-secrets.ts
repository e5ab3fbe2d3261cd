// Resolves the secrets an installation binds, just in time for a call, and gives the redactor for whatever
// comes back. Audit: one `secret.used` row per (run, step, installation) per worker process — not one per
// tool call, because retries and re-reads of the same step would otherwise add a synchronous insert each.
import { createRedactor, type Redactor, type SecretValueRegistry } from '@manifold/secrets';
import type { InstallationWithServer } from '@manifold/db';
import type { SecretVault } from '@manifold/services';
import { boundSecretNames, type BoundSecrets } from '../connection-spec';

export interface SecretBinding {
  secrets: BoundSecrets;
  redactor: Redactor;
}

const NONE: SecretBinding = { secrets: { values: new Map(), versions: {} }, redactor: createRedactor([]) };
const MAX_REMEMBERED_USES = 50_000;

export function createSecretBinder({ vault, registry }: { vault: SecretVault; registry: SecretValueRegistry }) {
  const recorded = new Set<string>();
  const remember = (key: string) => {
    recorded.add(key);
    if (recorded.size > MAX_REMEMBERED_USES) recorded.delete(recorded.values().next().value!);
  };

  return async function bindSecrets(
    installation: InstallationWithServer,
    use: { runId?: string; stepKey?: string },
  ): Promise<SecretBinding> {
    const names = boundSecretNames(installation);
    if (names.length === 0) return NONE;
    const useKey = use.runId ? `${use.runId}\u0000${use.stepKey}\u0000${installation.id}` : undefined;
    const shouldAudit = useKey === undefined || !recorded.has(useKey);
    const resolved = await vault.resolve(installation.teamId, names, shouldAudit ? { ...use, server: installation.name } : undefined);
    if (useKey) remember(useKey);
    registry.add(resolved.values.values());
    return { secrets: resolved, redactor: createRedactor(resolved.values.values()) };
  };
}

export type SecretBinder = ReturnType<typeof createSecretBinder>;
