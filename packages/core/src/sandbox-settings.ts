// The stdio sandbox's operator settings, read the same way by the worker (which enforces them) and the web app
// (which shows each installation's policy before it runs), and the policy a person sees for one installation.
import { z } from 'zod';
import type { InstallationConfig } from './api';
import type { LaunchDeclarations } from './launch-declarations';

export const sandboxSettingsShape = {
  /**
   * Stdio servers run in a bubblewrap sandbox. auto: required when NODE_ENV=production, optional otherwise
   * (optional runs them unsandboxed, with one loud warning, where bwrap does not work). off: development only.
   */
  MANIFOLD_SANDBOX: z.enum(['auto', 'required', 'optional', 'off']).default('auto'),
  MANIFOLD_SANDBOX_MEMORY_MIB: z.coerce.number().int().min(64).default(512),
  MANIFOLD_SANDBOX_CPU_SECONDS: z.coerce.number().int().min(1).default(3600),
  MANIFOLD_SANDBOX_PROCESSES: z.coerce.number().int().min(8).default(64),
  MANIFOLD_SANDBOX_OPEN_FILES: z.coerce.number().int().min(32).default(1024),
  MANIFOLD_SANDBOX_FILE_SIZE_MIB: z.coerce.number().int().min(1).default(256),
};

type SandboxSettingsInput = { [K in keyof typeof sandboxSettingsShape]: z.infer<(typeof sandboxSettingsShape)[K]> } & { NODE_ENV: string };

export type SandboxMode = 'required' | 'optional' | 'off';

export interface SandboxLimitsView {
  memoryMiB: number;
  cpuSeconds: number;
  processes: number;
  openFiles: number;
  fileSizeMiB: number;
}

/**
 * The effective mode: `auto` is required in production. The worker refuses off and optional in production outright;
 * the web app, which only shows the mode, passes `strict: false` (its NODE_ENV is about the Next.js build).
 */
export function sandboxModeOf(settings: SandboxSettingsInput, { strict = true }: { strict?: boolean } = {}): SandboxMode {
  const isProduction = settings.NODE_ENV === 'production';
  if (strict && isProduction && (settings.MANIFOLD_SANDBOX === 'off' || settings.MANIFOLD_SANDBOX === 'optional'))
    throw new Error(`MANIFOLD_SANDBOX: "${settings.MANIFOLD_SANDBOX}" is not allowed in production; stdio servers must run sandboxed.`);
  if (settings.MANIFOLD_SANDBOX === 'auto') return isProduction ? 'required' : 'optional';
  return settings.MANIFOLD_SANDBOX;
}

export function sandboxLimitsOf(settings: SandboxSettingsInput): SandboxLimitsView {
  return {
    memoryMiB: settings.MANIFOLD_SANDBOX_MEMORY_MIB,
    cpuSeconds: settings.MANIFOLD_SANDBOX_CPU_SECONDS,
    processes: settings.MANIFOLD_SANDBOX_PROCESSES,
    openFiles: settings.MANIFOLD_SANDBOX_OPEN_FILES,
    fileSizeMiB: settings.MANIFOLD_SANDBOX_FILE_SIZE_MIB,
  };
}

/** What one installation's server process gets, in words a person checks before it runs. */
export interface SandboxPolicyView {
  mode: SandboxMode;
  /** none, or the only targets it may reach (through the worker's egress proxy), as the installation names them. */
  network: { mode: 'none' } | { mode: 'egress'; targets: string[] };
  limits: SandboxLimitsView;
}

const SECRET_ONLY = /^\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}$/;

/** host:port of a URL-shaped value, never its credentials; a bound secret is named, never resolved. */
function targetOf(value: string): string {
  const secret = SECRET_ONLY.exec(value.trim());
  if (secret) return `the host:port in secret ${secret[1]}`;
  try {
    const url = new URL(value);
    return url.port ? `${url.hostname}:${url.port}` : `${url.hostname} (default port of ${url.protocol.replace(':', '')})`;
  } catch {
    return 'an unreadable value (the launch will refuse it)';
  }
}

/**
 * The policy the worker applies to this installation (apps/worker/src/connection-spec.ts builds the enforced one from
 * the same declarations; resolveLaunch derives the same targets with secrets resolved).
 */
export function sandboxPolicyView(
  declarations: LaunchDeclarations,
  config: InstallationConfig,
  settings: { mode: SandboxMode; limits: SandboxLimitsView },
): SandboxPolicyView {
  const network = declarations.network;
  if (network.mode !== 'egress') return { mode: settings.mode, network: { mode: 'none' }, limits: settings.limits };
  const targets: string[] = [];
  for (const source of network.targetsFrom) {
    const raw = 'arg' in source ? config.args?.[source.arg] : config.env?.[source.env];
    for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) targets.push(targetOf(String(value)));
  }
  if (network.allowInstallationTargets) for (const target of config.network?.allow ?? []) targets.push(`${target.host}:${target.port}`);
  return { mode: settings.mode, network: targets.length ? { mode: 'egress', targets } : { mode: 'none' }, limits: settings.limits };
}
