// The argv that starts one stdio server inside its sandbox:
//   setpriv (root only: the installation's own uid) → prlimit (resource limits) → bwrap (namespaces, mounts).
// Each step execs the next, so bwrap's parent is the worker and --die-with-parent ends the tree with it.
// The environment travels in the process environment, never in argv: /proc/<pid>/cmdline is world-readable.
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { SandboxPolicy } from './policy';

export const MIB = 1024 * 1024;

/** The same PATH in every sandbox: the worker's own PATH may name folders that are not mounted. */
export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface SandboxTools {
  bwrap: string;
  setpriv: string;
  prlimit: string;
}

export const DEFAULT_SANDBOX_TOOLS: SandboxTools = { bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit' };

/** How the host's system folders look: merged-/usr systems have /bin, /lib … as symlinks into /usr. */
export interface HostLayout {
  /** Top-level symlinks to recreate (e.g. /bin → usr/bin). */
  symlinks: Array<[link: string, target: string]>;
  /** Top-level system folders to mount read-only. */
  folders: string[];
}

export interface SandboxArgvOptions {
  tools?: SandboxTools;
  /** The worker runs as root: drop to policy.uid first (without root, the worker's own uid is kept). */
  isRoot: boolean;
  layout: HostLayout;
  /** Host paths the program itself needs (from programMounts), mounted read-only. */
  programPaths?: string[];
  /** From the egress session: extra bwrap arguments and a forwarder that runs before the server. */
  extraBwrapArgs?: string[];
  commandPrefix?: string[];
  /** Variables the caller's spawn adds on its own (the MCP SDK's default environment) that must not reach the server. */
  unsetEnv?: string[];
}

const SYSTEM_TOP_LEVEL = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/** Reads the host's layout of system folders once (I/O, kept out of the argv builder). */
export function hostLayout(): HostLayout {
  const layout: HostLayout = { symlinks: [], folders: [] };
  for (const entry of SYSTEM_TOP_LEVEL) {
    try {
      const stat = lstatSync(entry);
      if (stat.isSymbolicLink()) layout.symlinks.push([entry, readlinkSync(entry)]);
      else if (stat.isDirectory()) layout.folders.push(entry);
    } catch {
      // absent on this host
    }
  }
  return layout;
}

/**
 * The host folders a program needs: its own path and real path, widened to the outermost node_modules
 * (a package's dependencies are hoisted there) or, outside node_modules, the package folder holding it.
 * System paths need nothing: they are mounted anyway.
 */
export function programMounts(program: string): string[] {
  const paths = new Set<string>();
  for (const candidate of [program, safeRealpath(program)]) {
    if (!candidate || isSystemPath(candidate)) continue;
    paths.add(packageRootOf(candidate));
  }
  return [...paths];
}

function safeRealpath(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

const isSystemPath = (file: string) => ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib64/', '/etc/'].some((prefix) => file.startsWith(prefix));

function packageRootOf(file: string): string {
  const parts = file.split(path.sep);
  const first = parts.indexOf('node_modules');
  if (first > 0) return parts.slice(0, first + 1).join(path.sep);
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  return path.dirname(file);
}

const isInside = (child: string, parent: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** Refuses a policy that would make the sandbox pointless; the message names the field. */
export function assertPolicyUsable(policy: SandboxPolicy, programPaths: string[] = []): void {
  if (!path.isAbsolute(policy.folder) || policy.folder !== path.resolve(policy.folder))
    throw new Error(`sandbox.folder must be an absolute, normalized path (got "${policy.folder}").`);
  if (policy.folder === '/' || SYSTEM_TOP_LEVEL.some((system) => isInside(policy.folder, system)))
    throw new Error(`sandbox.folder "${policy.folder}" is a system folder; an installation needs a folder of its own.`);
  if (!Number.isInteger(policy.uid) || policy.uid <= 0) throw new Error(`sandbox.uid must be a positive integer (got ${policy.uid}).`);
  for (const [field, paths] of [
    ['sandbox.readOnlyPaths', policy.readOnlyPaths],
    ['program', programPaths],
  ] as const)
    for (const readOnly of paths) {
      if (!path.isAbsolute(readOnly)) throw new Error(`${field}: "${readOnly}" must be an absolute path.`);
      // A read-only path above the folder would show the other installations' folders beside it.
      if (isInside(policy.folder, readOnly) || readOnly === '/')
        throw new Error(`${field}: "${readOnly}" contains the installation's folder, and with it the folders of other installations.`);
    }
  const { limits } = policy;
  for (const [name, value] of Object.entries(limits))
    if (!Number.isInteger(value) || value <= 0) throw new Error(`sandbox.limits.${name} must be a positive integer (got ${value}).`);
}

/** The full argv (program first) for one sandboxed process. Pure: every host fact comes in through `options`. */
export function buildSandboxArgv(
  policy: SandboxPolicy,
  program: string,
  args: string[],
  env: Record<string, string>,
  options: SandboxArgvOptions,
): string[] {
  const tools = options.tools ?? DEFAULT_SANDBOX_TOOLS;
  assertPolicyUsable(policy, options.programPaths);
  const { limits } = policy;
  const argv: string[] = [];
  if (options.isRoot)
    argv.push(tools.setpriv, `--reuid=${policy.uid}`, `--regid=${policy.uid}`, '--clear-groups', '--inh-caps=-all', '--no-new-privs', '--');
  argv.push(
    tools.prlimit,
    `--data=${limits.memoryMiB * MIB}`,
    // SIGXCPU at the soft limit names the cause; the hard limit (SIGKILL) follows if the server ignores it.
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
    // RLIMIT_NPROC counts every process of the real uid: only meaningful when each installation has its own uid.
    ...(options.isRoot ? [`--nproc=${limits.processes}`] : []),
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeMiB * MIB}`,
    '--core=0',
    '--',
  );
  argv.push(
    tools.bwrap,
    // user, ipc, pid, net, uts, cgroup. The network stays private in 'egress' mode too: the egress session binds in
    // the only way out (a unix socket to the worker's proxy).
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
  );
  for (const folder of options.layout.folders) argv.push('--ro-bind', folder, folder);
  for (const [link, target] of options.layout.symlinks) argv.push('--symlink', target, link);
  argv.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm', '--tmpfs', '/tmp');
  // Sorted so a path inside another is mounted after it, and duplicates collapse.
  for (const readOnly of [...new Set([...policy.readOnlyPaths, ...(options.programPaths ?? [])])].sort())
    argv.push('--ro-bind', readOnly, readOnly);
  argv.push('--bind', policy.folder, policy.folder, '--chdir', policy.folder);
  argv.push(...(options.extraBwrapArgs ?? []));
  // The root itself (a tmpfs holding the mount points) read-only: the folder, /tmp and /dev/shm stay the only writable places.
  argv.push('--remount-ro', '/');
  for (const name of options.unsetEnv ?? []) if (!(name in env)) argv.push('--unsetenv', name);
  argv.push('--', ...(options.commandPrefix ?? []), program, ...args);
  return argv;
}

/** The environment a sandboxed server sees: a fixed base plus exactly the given variables. */
export function sandboxEnvironment(policy: SandboxPolicy, env: Record<string, string>): Record<string, string> {
  return {
    ...env,
    PATH: SANDBOX_PATH,
    HOME: policy.folder,
    TMPDIR: '/tmp',
    USER: 'mcp',
    LOGNAME: 'mcp',
    SHELL: '/bin/sh',
    TERM: 'dumb',
  };
}
