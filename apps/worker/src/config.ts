// The worker's configuration, parsed once from the environment; a bad value stops the process with one line.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { allowedCommandsSetting } from '@manifold/core';
import { keyringFromEnvironment, type Keyring } from '@manifold/secrets';
import { networkPolicyFromSettings, type NetworkPolicy } from '@manifold/mcp';
import { TASK_QUEUE_DEFAULT } from '@manifold/workflows';
import { INSTALLATION_CACHE_TTL_MS } from './activities/installation-cache';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (run through `npm start`, or set it).'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(TASK_QUEUE_DEFAULT),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
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
    .default(4 * 1024 * 1024),
  // SSRF guard: remote servers on private, loopback, link-local or metadata addresses are refused unless listed here
  // (comma-separated hostnames, IP addresses or CIDR ranges). Development and tests set MANIFOLD_ALLOW_LOOPBACK=true.
  MANIFOLD_ALLOWED_HOSTS: z.string().default(''),
  MANIFOLD_ALLOW_LOOPBACK: z.enum(['true', 'false', '']).default('false'),
  /** Absolute programs team-private stdio servers may run besides pinned `npx -y pkg@x.y.z` / `uvx pkg==x.y.z`. */
  MANIFOLD_ALLOWED_COMMANDS: allowedCommandsSetting,
  NODE_ENV: z.string().default('development'),
  /** How often the re-certification sweep runs (a Temporal schedule); "off" disables it. */
  RECERTIFY_EVERY: z
    .string()
    .regex(/^(off|\d+[smhd])$/, 'Use e.g. 24h, 30m, or off.')
    .default('24h'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WorkerConfig = z.infer<typeof schema> & { programDirs: string[]; keyring: Keyring | undefined; network: NetworkPolicy };

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid worker configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  // Production refuses to start without a master keyring (secrets and Temporal payloads need it).
  const keyring = keyringFromEnvironment(env);
  // Catalog servers are npm packages installed with Manifold: their programs live in node_modules/.bin.
  const network = networkPolicyFromSettings(parsed.data);
  return {
    ...parsed.data,
    network,
    keyring,
    programDirs: [path.join(repoRoot, 'apps/worker/node_modules/.bin'), path.join(repoRoot, 'node_modules/.bin')],
  };
}
