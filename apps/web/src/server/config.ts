// The web app's configuration, parsed once from the environment (the only module that reads process.env).
import 'server-only';
import type { BlockList } from 'node:net';
import { z } from 'zod';
import { allowedCommandsSetting, ownEndpointSettingsShape, sandboxLimitsOf, sandboxModeOf, sandboxSettingsShape, type SandboxLimitsView, type SandboxMode } from '@manifold/core';
import { keyringFromEnvironment, type Keyring } from '@manifold/secrets';
import { networkPolicyFromSettings, protectedEndpointsFromSettings, type NetworkPolicy } from '@manifold/services';
import { parseTrustedProxies } from './forwarded-for';

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (run through `npm start`, or set it).'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('manifold'),
  WEB_DB_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /** Requests per API key per window on /api/v1 (shared by all web processes through Postgres). */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** smtp(s)://user:pass@host:port — invitations are mailed through it; unset: they are logged. */
  SMTP_URL: z.string().optional(),
  /** OAuth sign-in: each provider is offered only when both its id and secret are set. */
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  AUTH_GOOGLE_ID: z.string().optional(),
  AUTH_GOOGLE_SECRET: z.string().optional(),
  SMTP_FROM: z.string().optional(),
  /**
   * Failed sign-ins of one client against one account before its backoff (2, 4, 8 … s) starts; per client
   * across accounts 4× as many, per account across clients 10× (with a 30 s cap: no lockout by strangers).
   */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** The window (seconds) sign-in failures are counted in, and the longest backoff of a client. */
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * Proxies whose X-Forwarded-For entries are believed (comma-separated IPs or CIDR ranges, e.g.
   * "10.0.0.0/8,::1"). Unset: only the nearest hop's address is used.
   */
  TRUSTED_PROXIES: z.string().default(''),
  API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // The SSRF guard for the OAuth requests the web app makes (discovery, code exchange), as the worker's.
  MANIFOLD_ALLOWED_HOSTS: z.string().default(''),
  MANIFOLD_ALLOW_LOOPBACK: z.enum(['true', 'false', '']).default('false'),
  // Manifold's own listeners, refused whatever the two settings above allow (as the worker reads them).
  ...ownEndpointSettingsShape,
  /** Absolute programs team-private stdio servers may run besides pinned npx/uvx: the worker's same setting. */
  MANIFOLD_ALLOWED_COMMANDS: allowedCommandsSetting,
  // The worker's sandbox settings: the server page shows each installation's policy as the worker applies it.
  ...sandboxSettingsShape,
  NODE_ENV: z.string().default('development'),
});

export type WebConfig = z.infer<typeof schema> & {
  keyring: Keyring | undefined;
  network: NetworkPolicy;
  trustedProxies: BlockList;
  sandbox: { mode: SandboxMode; limits: SandboxLimitsView };
};

let cached: WebConfig | undefined;

export function webConfig(): WebConfig {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid web configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const network: NetworkPolicy = { ...networkPolicyFromSettings(parsed.data), protectedEndpoints: protectedEndpointsFromSettings(parsed.data) };
  let trustedProxies: BlockList;
  let sandbox: WebConfig['sandbox'];
  try {
    trustedProxies = parseTrustedProxies(parsed.data.TRUSTED_PROXIES);
    sandbox = { mode: sandboxModeOf(parsed.data, { strict: false }), limits: sandboxLimitsOf(parsed.data) };
  } catch (error) {
    throw new Error(`Invalid web configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (cached = { ...parsed.data, keyring: keyringFromEnvironment(process.env), network, trustedProxies, sandbox });
}

/** The OAuth providers configured (both id and secret set), in display order. */
type OAuthSettings = Pick<WebConfig, 'AUTH_GITHUB_ID' | 'AUTH_GITHUB_SECRET' | 'AUTH_GOOGLE_ID' | 'AUTH_GOOGLE_SECRET'>;

/** Only the OAuth settings: auth.ts reads them at module load, which also happens during `next build`. */
const oauthSettings = (): OAuthSettings =>
  schema.pick({ AUTH_GITHUB_ID: true, AUTH_GITHUB_SECRET: true, AUTH_GOOGLE_ID: true, AUTH_GOOGLE_SECRET: true }).parse(process.env);

export function oauthProviders(
  config: OAuthSettings = oauthSettings(),
): Array<{ id: 'github' | 'google'; name: string; clientId: string; clientSecret: string }> {
  const providers: Array<{ id: 'github' | 'google'; name: string; clientId: string; clientSecret: string }> = [];
  if (config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET)
    providers.push({ id: 'github', name: 'GitHub', clientId: config.AUTH_GITHUB_ID, clientSecret: config.AUTH_GITHUB_SECRET });
  if (config.AUTH_GOOGLE_ID && config.AUTH_GOOGLE_SECRET)
    providers.push({ id: 'google', name: 'Google', clientId: config.AUTH_GOOGLE_ID, clientSecret: config.AUTH_GOOGLE_SECRET });
  return providers;
}
