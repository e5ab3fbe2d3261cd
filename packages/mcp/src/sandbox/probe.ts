// Whether this host can run sandboxed servers: one tiny sandboxed process, the same chain the pool uses.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSandboxArgv, DEFAULT_SANDBOX_TOOLS, hostLayout, type SandboxTools } from './bwrap';

export interface SandboxProbe {
  available: boolean;
  /** Why not (or, when available, what ran). */
  reason: string;
}

export interface ProbeOptions {
  tools?: SandboxTools;
  /** uid the probe runs as when the worker is root. */
  uid?: number;
  timeoutMs?: number;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs `true` and `node -e` inside a sandbox once; never throws. */
export async function probeSandbox(options: ProbeOptions = {}): Promise<SandboxProbe> {
  if (process.platform !== 'linux') return { available: false, reason: `sandboxing needs Linux (this is ${process.platform})` };
  const folder = mkdtempSync(path.join(tmpdir(), 'manifold-sandbox-probe-'));
  const uid = options.uid ?? 199_999;
  try {
    if (isRoot()) chownSync(folder, uid, uid);
    const argv = buildSandboxArgv(
      {
        uid,
        folder,
        network: { mode: 'none' },
        limits: { memoryMiB: 256, cpuSeconds: 10, processes: 32, openFiles: 64, fileSizeMiB: 1 },
        readOnlyPaths: [],
      },
      process.execPath,
      ['-e', 'process.stdout.write(String(process.getuid()))'],
      {},
      { tools: options.tools ?? DEFAULT_SANDBOX_TOOLS, isRoot: isRoot(), layout: hostLayout(), programPaths: programPathsOfNode() },
    );
    const output = await new Promise<string>((resolve, reject) =>
      execFile(argv[0]!, argv.slice(1), { env: {} as NodeJS.ProcessEnv, timeout: options.timeoutMs ?? 10_000 }, (error: Error | null, stdout: string, stderr: string) =>
        error ? reject(new Error(stderr.trim().slice(0, 300) || error.message.slice(0, 300))) : resolve(stdout),
      ),
    );
    return { available: true, reason: `bwrap sandbox works (a sandboxed node ran as uid ${output.trim()})` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /ENOENT|No such file/.test(message) ? ' (install bubblewrap and util-linux: apt-get install -y bubblewrap util-linux)' : '';
    return { available: false, reason: `the sandbox does not start: ${message}${hint}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** node outside /usr (nvm, /opt) must be mounted for the probe to run it. */
function programPathsOfNode(): string[] {
  const dir = path.dirname(process.execPath);
  return dir.startsWith('/usr/') || dir === '/bin' ? [] : [path.dirname(dir)];
}
