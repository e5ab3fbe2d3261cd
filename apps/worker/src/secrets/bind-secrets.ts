// Resolves the secrets an installation binds, just in time for a call, and gives the redactor for whatever
// comes back. Audit: one `secret.used` row per (run, step, installation) per worker process — not one per
// tool call, because retries and re-reads of the same step would otherwise add a synchronous insert each.
// An OAuth-protected installation also gets its access-token source (bound to it alone), and its current
// token is fetched up front so an authorization failure fails the call before it starts and the redactor
// knows the token.
import { createRedactor, type Redactor, type SecretValueRegistry } from '@manifold/secrets';
import type { InstallationWithServer } from '@manifold/db';
import type { AccessTokenSource } from '@manifold/mcp';
import { authOf, type OAuthTokenManager, type SecretVault } from '@manifold/services';
import { boundSecretNames, type BoundSecrets } from '../connection-spec';

export interface SecretBinding {
  secrets: BoundSecrets;
  redactor: Redactor;
  /** Set when the installation uses OAuth: puts its access token on its own transport only. */
  authorization?: AccessTokenSource;
}

/** The binding of an installation that binds nothing (also the fallback when setting up a call fails). */
export const NO_SECRETS: SecretBinding = { secrets: { values: new Map(), versions: {} }, redactor: createRedactor([]) };
const MAX_REMEMBERED_USES = 50_000;

export function createSecretBinder({
  vault,
  registry,
  tokens,
}: {
  vault: SecretVault;
  registry: SecretValueRegistry;
  tokens?: OAuthTokenManager | undefined;
}) {
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
    const authorization = tokens && authOf(installation) ? tokens.sourceFor(installation) : undefined;
    const accessToken = authorization ? await authorization.token() : undefined;
    if (names.length === 0 && !authorization) return NO_SECRETS;
    let resolved: BoundSecrets = NO_SECRETS.secrets;
    if (names.length) {
      const useKey = use.runId ? `${use.runId}\u0000${use.stepKey}\u0000${installation.id}` : undefined;
      const shouldAudit = useKey === undefined || !recorded.has(useKey);
      resolved = await vault.resolve(installation.teamId, names, shouldAudit ? { ...use, server: installation.name } : undefined);
      if (useKey) remember(useKey);
      registry.add(resolved.values.values());
    }
    const values = [...resolved.values.values(), ...(accessToken ? [accessToken] : [])];
    return { secrets: resolved, redactor: createRedactor(values), ...(authorization ? { authorization } : {}) };
  };
}

export type SecretBinder = ReturnType<typeof createSecretBinder>;
