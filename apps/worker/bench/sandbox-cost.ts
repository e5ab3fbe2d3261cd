// What the stdio server sandbox costs: spawn + initialize and warm tools/call latency of server-everything with
// and without bubblewrap (same pool code, same server), and the memory of one sandboxed server's process tree.
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { descendantPids, McpPool, probeSandbox, type SandboxPolicy, type StdioSpec } from '@manifold/mcp';
import { repoRoot } from '@manifold/testing';
import { ms, percentile, printTable } from './stats';

const COLD_SAMPLES = Number(process.env.BENCH_SANDBOX_COLD ?? 20);
const WARM_CALLS = Number(process.env.BENCH_SANDBOX_WARM ?? 300);
const command = [path.join(repoRoot(), 'node_modules/.bin/mcp-server-everything'), 'stdio'];

/** Resident memory (VmRSS) summed over a process and its descendants, MiB. */
function treeRssMiB(pid: number): number {
  let kib = 0;
  for (const p of [pid, ...descendantPids(pid)]) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kib += match ? Number(match[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return kib / 1024;
}

export async function measureSandboxCost(): Promise<void> {
  const probe = await probeSandbox();
  if (!probe.available) {
    console.log(`\nSandbox cost: skipped (${probe.reason})`);
    return;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'manifold-bench-sandbox-'));
  const policy: SandboxPolicy = {
    uid: 200_000 + 99_999,
    folder,
    network: { mode: 'none' },
    limits: { memoryMiB: 512, cpuSeconds: 3600, processes: 64, openFiles: 1024, fileSizeMiB: 256 },
    readOnlyPaths: [],
  };
  if (process.getuid?.() === 0) chownSync(folder, policy.uid, policy.uid);
  const variants = [
    { name: 'unsandboxed', pool: new McpPool({ sandbox: { mode: 'off' } }), spec: { transport: 'stdio', key: 'plain', command, cwd: folder } as StdioSpec },
    {
      name: 'sandboxed (bwrap)',
      pool: new McpPool({ sandbox: { mode: 'required', probe } }),
      spec: { transport: 'stdio', key: 'sandboxed', command, cwd: folder, sandbox: policy } as StdioSpec,
    },
  ];
  const rows: string[][] = [];
  try {
    // Cold starts alternate between the variants, so a busy moment on the shared machine hits both alike.
    const cold: number[][] = variants.map(() => []);
    for (let i = 0; i < COLD_SAMPLES; i++)
      for (const [index, { pool, spec }] of variants.entries()) {
        const session = await pool.openProbe({ ...spec, key: `${spec.key}-cold-${i}` }, 30_000);
        cold[index]!.push(session.initializeMs);
        await session.close();
      }
    for (const [index, { name, pool, spec }] of variants.entries()) {
      await pool.callTool(spec, 'echo', { message: 'warm' }, { timeoutMs: 30_000 });
      const warm: number[] = [];
      for (let i = 0; i < WARM_CALLS; i++) {
        const started = performance.now();
        await pool.callTool(spec, 'echo', { message: 'bench' }, { timeoutMs: 30_000 });
        warm.push(performance.now() - started);
      }
      const [pid] = pool.stats().pids;
      rows.push([
        name,
        ms(percentile(cold[index]!, 50)),
        ms(percentile(cold[index]!, 90)),
        ms(percentile(warm, 50)),
        ms(percentile(warm, 99)),
        pid === undefined ? 'n/a' : `${treeRssMiB(pid).toFixed(1)} MiB`,
      ]);
      await pool.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    `Sandbox cost: server-everything over stdio (${COLD_SAMPLES} cold starts, ${WARM_CALLS} warm echo calls each)`,
    ['variant', 'spawn + initialize p50', 'p90', 'warm call p50', 'p99', 'RSS of the process tree'],
    rows,
  );
}
