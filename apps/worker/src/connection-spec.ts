// Turns a team's server installation into a connection spec for the MCP pool, with its bound secrets
// substituted into declared arguments and env values (stdio) or headers (http) just before the call, and (stdio)
// the sandbox it runs in.
import { createHash } from 'node:crypto';
import { chmodSync, lchownSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkServerCommand, isAppError, resolveLaunch, secretReferences, substituteSecrets, type EgressTarget, type InstallationConfig } from '@manifold/core';
import type { InstallationWithServer } from '@manifold/db';
import { McpCallError, type AccessTokenSource, type HttpSpec, type SandboxPolicy, type StdioSpec } from '@manifold/mcp';
import type { SandboxSettings } from './config';

/**
 * Where and what this worker may launch: the data dir holding the installations' folders, the operator's
 * MANIFOLD_ALLOWED_COMMANDS, and the sandbox defaults.
 */
export interface SpecHost {
  dataDir: string;
  allowedCommands: readonly string[];
  /** Without it no policy is attached (tests and tools that run servers unsandboxed on purpose). */
  sandbox?: Pick<SandboxSettings, 'uidBase' | 'limits' | 'readOnlyPaths'>;
}

/** The uid offset of certification runs that use no installation (installations number from 1). */
export const CERTIFICATION_SANDBOX_UID = 0;

const preparedFolders = new Set<string>();

/**
 * Creates the folder and hands it to the sandbox uid (mode 700), once per folder and process. Files left by earlier
 * unsandboxed runs are handed over too; lchown, never chown: a symlink the server planted must not redirect it.
 */
function prepareFolder(folder: string, uid: number, dataDir: string): void {
  const marker = `${folder}:${uid}`;
  if (preparedFolders.has(marker)) return;
  // Parents searchable but not listable by others: bwrap, already running as the sandbox uid, must pass through
  // them to mount the folder, and no uid may list which teams and installations exist.
  mkdirSync(path.dirname(folder), { recursive: true, mode: 0o711 });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    assertSearchable(path.dirname(folder), dataDir);
    lchownSync(folder, uid, uid);
    for (const entry of readdirSync(folder, { recursive: true }))
      lchownSync(path.join(folder, entry.toString()), uid, uid);
  }
  chmodSync(folder, 0o700);
  preparedFolders.add(marker);
}

/** Every folder above `dir` must let other uids pass; inside the data dir we fix it, above it the operator must. */
function assertSearchable(dir: string, dataDir: string): void {
  const root = path.resolve(dataDir);
  for (let current = dir; ; current = path.dirname(current)) {
    const mode = statSync(current).mode;
    if (!(mode & 0o001)) {
      if (current === root || current.startsWith(`${root}${path.sep}`)) chmodSync(current, (mode & 0o777) | 0o001);
      else
        throw new Error(
          `Sandboxed servers cannot reach their folders: "${current}" (above MANIFOLD_DATA_DIR) is not searchable by other users. Run: chmod o+x ${current}`,
        );
    }
    if (current === path.dirname(current)) return;
  }
}

/**
 * The sandbox of one server process: its own uid and folder, the worker's limits, and no network unless its launch
 * names targets (then only those, through the worker's egress proxy).
 */
export function sandboxPolicyFor(host: SpecHost, uidOffset: number, folder: string, egress: EgressTarget[] = []): SandboxPolicy | undefined {
  if (!host.sandbox) return undefined;
  const uid = host.sandbox.uidBase + uidOffset;
  prepareFolder(folder, uid, host.dataDir);
  return {
    uid,
    folder,
    network: egress.length ? { mode: 'egress', allow: egress.map((target) => ({ ...target })) } : { mode: 'none' },
    limits: { ...host.sandbox.limits },
    readOnlyPaths: [...host.sandbox.readOnlyPaths],
  };
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
  host: SpecHost,
  secrets: BoundSecrets = NO_SECRETS,
  authorization?: AccessTokenSource,
): InstallationSpec {
  const config = configOf(installation);
  // Changed settings or secret versions give a new pool key, so a session is never reused with stale ones;
  // the old one idles out. Versions, never values, go into the key.
  const keyOf = (sandbox: SandboxPolicy | null) =>
    `${installation.id}:${createHash('sha256')
      .update(JSON.stringify([installation.server.transport, installation.server.command, installation.server.url, config, secrets.versions, sandbox]))
      .digest('hex')
      .slice(0, 16)}`;
  if (installation.server.transport === 'http') {
    const url = config.url ?? installation.server.url;
    if (!url) throw new Error(`Installation "${installation.name}" has no URL: set config.url.`);
    const headers = substituteAll(config.headers, secrets);
    // The access token goes to this installation's own transport, never into a pool key, env or log.
    return {
      transport: 'http',
      key: keyOf(null),
      url,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(authorization ? { authorization } : {}),
    };
  }
  assertLaunchAllowed(installation.server, host.allowedCommands);
  // Each installation works in a folder of its own, never the worker's working directory.
  const cwd = path.join(host.dataDir, 'servers', installation.teamId, installation.id);
  // Only what the catalog entry declares reaches the process; a stored config that no longer fits fails the
  // call without a retry, naming the field.
  let launch: ReturnType<typeof resolveLaunch>;
  try {
    launch = resolveLaunch(installation.server, config, secrets.values, cwd, { realpath: realpathOrNull });
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new McpCallError('config_error', `Installation "${installation.name}" cannot start: ${error.message} Edit its config.`);
  }
  const sandbox = sandboxPolicyFor(host, installation.sandboxUid, cwd, launch.egress);
  if (!sandbox) mkdirSync(cwd, { recursive: true });
  return {
    transport: 'stdio',
    key: keyOf(sandbox ?? null),
    command: launch.argv,
    env: launch.env,
    cwd,
    launchEgress: launch.egress,
    ...(sandbox ? { sandbox } : {}),
  };
}
