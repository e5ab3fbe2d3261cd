// The worker's configuration, parsed once from the environment; a bad value stops the process with one line.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { allowedCommandsSetting, ownEndpointSettingsShape, sandboxLimitsOf, sandboxModeOf, sandboxSettingsShape } from '@manifold/core';
import { keyringFromEnvironment, type Keyring } from '@manifold/secrets';
import { networkPolicyFromSettings, protectedEndpointsFromSettings, type NetworkPolicy, type SandboxLimits } from '@manifold/mcp';
import { TASK_QUEUE_DEFAULT } from '@manifold/workflows';
import { INSTALLATION_CACHE_TTL_MS } from './activities/installation-cache';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (run through `npm start`, or set it).'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(TASK_QUEUE_DEFAULT),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(200),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).default(50),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).default(200),
  /** Runs kept cached in memory (0 disables the cache: every workflow task replays its run's history). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
  /** How long a tool call reuses an installation row it read: the staleness bound of installation changes. */
  WORKER_INSTALLATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(INSTALLATION_CACHE_TTL_MS),
  MANIFOLD_DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  MCP_IDLE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  MCP_MAX_RESULT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /** Values (tool outputs, rendered arguments) with larger JSON are stored in Postgres and passed by reference. */
  PAYLOAD_THRESHOLD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(64 * 1024),
  // SSRF guard: remote servers on private, loopback, link-local or metadata addresses are refused unless listed here
  // (comma-separated hostnames, IP addresses or CIDR ranges). Development and tests set MANIFOLD_ALLOW_LOOPBACK=true.
  MANIFOLD_ALLOWED_HOSTS: z.string().default(''),
  MANIFOLD_ALLOW_LOOPBACK: z.enum(['true', 'false', '']).default('false'),
  // Manifold's own listeners, refused to every MCP server whatever the two settings above allow.
  ...ownEndpointSettingsShape,
  /** Where the egress proxy's per-server sockets live (a short path: unix socket paths are limited to 107 bytes). */
  MANIFOLD_EGRESS_DIR: z.string().optional(),
  /** Absolute programs team-private stdio servers may run besides pinned `npx -y pkg@x.y.z` / `uvx pkg==x.y.z`. */
  MANIFOLD_ALLOWED_COMMANDS: allowedCommandsSetting,
  NODE_ENV: z.string().default('development'),
  /** How often the re-certification sweep runs (a Temporal schedule); "off" disables it. */
  RECERTIFY_EVERY: z
    .string()
    .regex(/^(off|\d+[smhd])$/, 'Use e.g. 24h, 30m, or off.')
    .default('24h'),
  /**
   * How often the run sweep runs (a Temporal schedule): it starts runs whose start never reached Temporal and
   * settles runs whose workflow was terminated, timed out or lost. "off" disables it.
   */
  RUN_SWEEP_EVERY: z
    .string()
    .regex(/^(off|\d+[smhd])$/, 'Use e.g. 30s, 5m, or off.')
    .default('30s'),
  // The sandbox's mode and limits: one shape with the web app, which shows each installation's policy.
  ...sandboxSettingsShape,
  /** Installation n's processes run as uid BASE + n: a range no real account on the host uses. */
  MANIFOLD_SANDBOX_UID_BASE: z.coerce.number().int().min(1000).max(4_000_000_000).default(200_000),
  /**
   * More folders every sandboxed server may read (comma-separated absolute paths): where the programs an operator
   * allow-lists in MANIFOLD_ALLOWED_COMMANDS keep their files. Never the data dir or a folder holding it.
   */
  MANIFOLD_SANDBOX_READ_ONLY_PATHS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((paths) => paths.every((entry) => path.isAbsolute(entry) && path.normalize(entry) === entry && entry !== '/'), {
      message: 'Use comma-separated absolute, normalised paths (not "/").',
    }),
  /** The certification latency budgets times this: for slow or shared hardware (the evidence records what applied). */
  CERTIFICATION_LATENCY_SCALE: z.coerce.number().min(1).max(100).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface SandboxSettings {
  mode: 'required' | 'optional' | 'off';
  uidBase: number;
  limits: SandboxLimits;
  /** Folders every sandboxed server may read: where the catalog's npm packages live. */
  readOnlyPaths: string[];
}

export type WorkerConfig = z.infer<typeof schema> & {
  programDirs: string[];
  keyring: Keyring | undefined;
  network: NetworkPolicy;
  /** The egress gateway's runtimeDir. */
  egressDir: string;
  sandbox: SandboxSettings;
};

function sandboxSettings(data: z.infer<typeof schema>, programDirs: string[]): SandboxSettings {
  let mode: SandboxSettings['mode'];
  try {
    mode = sandboxModeOf(data);
  } catch (error) {
    throw new Error(`Invalid worker configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    mode,
    uidBase: data.MANIFOLD_SANDBOX_UID_BASE,
    limits: sandboxLimitsOf(data),
    // node_modules/.bin → node_modules: the package folders the programs and their dependencies live in.
    readOnlyPaths: [...programDirs.map((dir) => path.dirname(dir)).filter((dir) => existsSync(dir)), ...data.MANIFOLD_SANDBOX_READ_ONLY_PATHS],
  };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid worker configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  // Production refuses to start without a master keyring (secrets and Temporal payloads need it).
  const keyring = keyringFromEnvironment(env);
  // Catalog servers are npm packages installed with Manifold: their programs live in node_modules/.bin.
  const network: NetworkPolicy = { ...networkPolicyFromSettings(parsed.data), protectedEndpoints: protectedEndpointsFromSettings(parsed.data) };
  const programDirs = [path.join(repoRoot, 'apps/worker/node_modules/.bin'), path.join(repoRoot, 'node_modules/.bin')];
  return {
    ...parsed.data,
    network,
    egressDir: parsed.data.MANIFOLD_EGRESS_DIR ?? path.join(parsed.data.MANIFOLD_DATA_DIR, 'run', 'egress'),
    keyring,
    programDirs,
    sandbox: sandboxSettings(parsed.data, programDirs),
  };
}
