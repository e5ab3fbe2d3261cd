// Turns a team's server installation into a connection spec for the MCP pool, with its bound secrets
// substituted into declared arguments and env values (stdio) or headers (http) just before the call.
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isAppError, resolveLaunch, secretReferences, substituteSecrets, type EgressTarget, type InstallationConfig } from '@manifold/core';
import type { InstallationWithServer } from '@manifold/db';
import { McpCallError, type AccessTokenSource, type HttpSpec, type StdioSpec } from '@manifold/mcp';

export interface BoundSecrets {
  values: ReadonlyMap<string, string>;
  /** name → version: part of the pool key, so a new version opens a new session with the new value. */
  versions: Readonly<Record<string, number>>;
}

const NO_SECRETS: BoundSecrets = { values: new Map(), versions: {} };

const configOf = (installation: InstallationWithServer) => (installation.config ?? {}) as InstallationConfig;

/** The secret names an installation binds (names only: these may travel anywhere). */
export const boundSecretNames = (installation: InstallationWithServer): string[] => secretReferences(configOf(installation));

function substituteAll(record: Record<string, string> | undefined, secrets: BoundSecrets): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([name, value]) => [name, substituteSecrets(value, secrets.values)]));
}

/**
 * A stdio spec also carries the host:port targets its launch may reach (from its declared arguments and env),
 * for the sandbox's egress proxy; the pool ignores it. (`EgressTarget` is core's copy of the sandbox policy's.)
 */
export type InstallationSpec = HttpSpec | (StdioSpec & { launchEgress: EgressTarget[] });

const realpathOrNull = (target: string): string | null => {
  try {
    return realpathSync(target);
  } catch {
    return null;
  }
};

export function connectionSpecFor(
  installation: InstallationWithServer,
  dataDir: string,
  secrets: BoundSecrets = NO_SECRETS,
  authorization?: AccessTokenSource,
): InstallationSpec {
  const config = configOf(installation);
  // Changed settings or secret versions give a new pool key, so a session is never reused with stale ones;
  // the old one idles out. Versions, never values, go into the key.
  const settings = JSON.stringify([
    installation.server.transport,
    installation.server.command,
    installation.server.url,
    config,
    secrets.versions,
  ]);
  const key = `${installation.id}:${createHash('sha256').update(settings).digest('hex').slice(0, 16)}`;
  if (installation.server.transport === 'http') {
    const url = config.url ?? installation.server.url;
    if (!url) throw new Error(`Installation "${installation.name}" has no URL: set config.url.`);
    const headers = substituteAll(config.headers, secrets);
    // The access token goes to this installation's own transport, never into a pool key, env or log.
    return {
      transport: 'http',
      key,
      url,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(authorization ? { authorization } : {}),
    };
  }
  // Each installation works in a folder of its own, never the worker's working directory.
  const cwd = path.join(dataDir, 'servers', installation.teamId, installation.id);
  mkdirSync(cwd, { recursive: true });
  // Only what the catalog entry declares reaches the process; a stored config that no longer fits fails the
  // call without a retry, naming the field.
  let launch: ReturnType<typeof resolveLaunch>;
  try {
    launch = resolveLaunch(installation.server, config, secrets.values, cwd, { realpath: realpathOrNull });
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new McpCallError('config_error', `Installation "${installation.name}" cannot start: ${error.message} Edit its config.`);
  }
  return { transport: 'stdio', key, command: launch.argv, env: launch.env, cwd, launchEgress: launch.egress };
}
