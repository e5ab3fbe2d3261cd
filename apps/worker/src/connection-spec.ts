// Turns a team's server installation into a connection spec for the MCP pool, with its bound secrets
// substituted into env values (stdio) or headers (http) just before the call.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { checkServerCommand, secretReferences, substituteSecrets, type InstallationConfig } from '@manifold/core';
import type { InstallationWithServer } from '@manifold/db';
import { McpCallError, type AccessTokenSource, type ConnectionSpec } from '@manifold/mcp';

/** Where and what the worker may launch: the data folder and the operator's MANIFOLD_ALLOWED_COMMANDS. */
export interface LaunchHost {
  dataDir: string;
  allowedCommands: readonly string[];
}

/**
 * Defense in depth: the web app refuses such commands on create, but a row stored before that rule (or edited
 * in the database) must not run either. Public entries are the operator's own seed and run as shipped.
 */
export function assertLaunchAllowed(
  server: { teamId: string | null; slug: string; transport: string; command: readonly string[] },
  allowedCommands: readonly string[],
): void {
  if (server.transport !== 'stdio' || !server.teamId) return;
  const problem = checkServerCommand(server.command, allowedCommands)[0];
  if (problem)
    throw new McpCallError(
      'config_error',
      `The team entry "${server.slug}" was not started: its ${problem.path} is not allowed. ${problem.message} An owner or admin can change the command.`,
    );
}

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

export function connectionSpecFor(
  installation: InstallationWithServer,
  host: LaunchHost,
  secrets: BoundSecrets = NO_SECRETS,
  authorization?: AccessTokenSource,
): ConnectionSpec {
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
  assertLaunchAllowed(installation.server, host.allowedCommands);
  // Each installation works in a folder of its own, never the worker's working directory.
  const cwd = path.join(host.dataDir, 'servers', installation.teamId, installation.id);
  mkdirSync(cwd, { recursive: true });
  return {
    transport: 'stdio',
    key,
    command: [...installation.server.command, ...(config.args ?? [])],
    env: substituteAll(config.env, secrets),
    cwd,
  };
}
