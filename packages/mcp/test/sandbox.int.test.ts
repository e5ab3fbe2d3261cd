// The bubblewrap sandbox against a hostile stdio server: every escape it tries fails, every limit it hits becomes a
// clear error, and the worker (this process) and another installation's data stay intact. Real bwrap, real processes.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { rejectionOf, repoRoot, waitFor } from '@manifold/testing';
import { descendantPids, isProcessAlive, McpCallError, McpPool, probeSandbox, type PoolEvent, type SandboxPolicy, type StdioSpec } from '../src/index';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/hostile-server.mjs');
const isRoot = process.getuid?.() === 0;
const CANARY = `worker-canary-${process.pid}-${Date.now()}`;
// A uid range of its own per run: RLIMIT_NPROC counts per uid, and other worktrees may run this suite at once.
const uidBase = 300_000 + Math.floor(Math.random() * 90_000) * 10;
const call = { timeoutMs: 20_000 };

let root: string;
let pool: McpPool;
let listener: Server;
let listenerPort: number;
const events: PoolEvent[] = [];
let nextUid = 0;

function installation(name: string, limits: Partial<SandboxPolicy['limits']> = {}): SandboxPolicy {
  const folder = path.join(root, 'data/servers/team', name);
  const uid = uidBase + nextUid++;
  mkdirSync(folder, { recursive: true });
  if (isRoot) chownSync(folder, uid, uid);
  chmodSync(folder, 0o700);
  return {
    uid,
    folder,
    network: { mode: 'none' },
    limits: { memoryMiB: 256, cpuSeconds: 60, processes: 64, openFiles: 256, fileSizeMiB: 4, ...limits },
    readOnlyPaths: [path.dirname(fixture), path.join(repoRoot(), 'node_modules')],
  };
}

const specOf = (key: string, sandbox: SandboxPolicy, env: Record<string, string> = {}): StdioSpec => ({
  transport: 'stdio',
  key,
  command: [process.execPath, fixture],
  env,
  cwd: sandbox.folder,
  sandbox,
});

async function probe(spec: StdioSpec, tool: string, args: Record<string, unknown> = {}) {
  const result = await pool.callTool(spec, tool, args, call);
  const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
  return JSON.parse(text) as { ok: boolean; code?: string; text?: string; entries?: string[]; [key: string]: unknown };
}

let teamA: StdioSpec;
let teamB: StdioSpec;

beforeAll(async () => {
  process.env.MANIFOLD_SANDBOX_TEST_CANARY = CANARY;
  root = mkdtempSync(path.join(tmpdir(), 'manifold-sandbox-'));
  chmodSync(root, 0o755);
  // Stand-ins for the worker's secrets on disk: world-readable on purpose, so only the sandbox keeps them out.
  writeFileSync(path.join(root, '.env'), `MANIFOLD_MASTER_KEYS=${CANARY}\n`, { mode: 0o644 });
  teamA = specOf('team-a', installation('a'));
  teamB = specOf('team-b', installation('b'), { B_TOKEN: 'b-token-value' });
  writeFileSync(path.join(teamB.sandbox!.folder, 'memory.json'), 'B-confidential', { mode: 0o644 });
  listener = createServer((socket) => socket.end('worker port\n'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as { port: number }).port;
  pool = new McpPool({ idleTimeoutMs: 60_000, sandbox: { mode: 'required' }, onEvent: (event) => events.push(event) });
});

afterAll(async () => {
  await pool?.close();
  listener?.close();
  delete process.env.MANIFOLD_SANDBOX_TEST_CANARY;
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('probeSandbox', () => {
  it('finds the sandbox working on this host, and says why not when bwrap is missing', async () => {
    expect(await probeSandbox()).toMatchObject({ available: true });
    const missing = await probeSandbox({ tools: { bwrap: '/nonexistent/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit' } });
    expect(missing.available).toBe(false);
    expect(missing.reason).toMatch(/nonexistent\/bwrap.*No such file.*apt-get install -y bubblewrap/s);
  });
});

describe('a hostile server inside the sandbox', () => {
  it('runs as its own uid in its own folder, sees only its own processes and exactly the environment it was given', async () => {
    const identity = await probe(teamB, 'identity');
    if (isRoot) expect(identity).toMatchObject({ uid: teamB.sandbox!.uid, gid: teamB.sandbox!.uid });
    expect(identity).toMatchObject({ hostname: 'sandbox', cwd: teamB.sandbox!.folder });
    expect(identity.env).toEqual({
      B_TOKEN: 'b-token-value',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: teamB.sandbox!.folder,
      TMPDIR: '/tmp',
      USER: 'mcp',
      LOGNAME: 'mcp',
      SHELL: '/bin/sh',
      TERM: 'dumb',
      PWD: teamB.sandbox!.folder,
    });
    // A new PID namespace: bwrap's init and the server, never the worker's pid.
    expect((identity.pids as number[]).length).toBeLessThanOrEqual(3);
    expect(identity.pids).not.toContain(process.pid);
  });

  it("cannot read the worker's environment, through /proc/1 or the worker's own pid", async () => {
    const first = await probe(teamA, 'read_file', { path: '/proc/1/environ' });
    expect(first.text ?? '').not.toContain(CANARY);
    expect(first.text ?? '').not.toContain('MANIFOLD');
    const worker = await probe(teamA, 'read_file', { path: `/proc/${process.pid}/environ` });
    expect(worker.ok && worker.text?.includes(CANARY)).toBeFalsy();
    const cmdline = await probe(teamA, 'read_file', { path: '/proc/1/cmdline' });
    expect(cmdline.text ?? '').not.toContain(CANARY);
  });

  it("cannot see the worker's files, the .env beside them, or another installation's folder", async () => {
    expect(await probe(teamA, 'read_file', { path: path.join(root, '.env') })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'read_file', { path: path.join(teamB.sandbox!.folder, 'memory.json') })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'list_dir', { path: path.dirname(teamA.sandbox!.folder) })).toMatchObject({ ok: true, entries: ['a'] });
    expect(await probe(teamA, 'read_file', { path: path.join(repoRoot(), 'package.json') })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'list_dir', { path: path.join(repoRoot(), '.data') })).toMatchObject({ ok: false, code: 'ENOENT' });
    const shadow = await probe(teamA, 'read_file', { path: '/etc/shadow' });
    expect(shadow.ok).toBe(false);
    expect(['EACCES', 'ENOENT']).toContain(shadow.code);
  });

  it('writes only inside its own folder: the system is read-only, /tmp is private, the worker folder absent', async () => {
    expect(await probe(teamA, 'write_file', { path: '/usr/local/evil', text: 'x' })).toMatchObject({ ok: false, code: 'EROFS' });
    expect(await probe(teamA, 'write_file', { path: '/etc/evil', text: 'x' })).toMatchObject({ ok: false, code: 'EROFS' });
    // Under /tmp here, so it lands in the sandbox's private /tmp (a real worker's data dir is on the read-only root).
    await probe(teamA, 'write_file', { path: path.join(root, 'evil'), text: 'x' });
    expect(existsSync(path.join(root, 'evil'))).toBe(false);
    expect(await probe(teamA, 'write_file', { path: '/evil', text: 'x' })).toMatchObject({ ok: false, code: 'EROFS' });
    expect(await probe(teamA, 'write_file', { path: path.join(repoRoot(), 'node_modules/evil.js'), text: 'x' })).toMatchObject({ ok: false, code: 'EROFS' });
    expect(await probe(teamA, 'write_file', { path: '/tmp/shared-with-b', text: 'x' })).toMatchObject({ ok: true });
    expect(await probe(teamB, 'read_file', { path: '/tmp/shared-with-b' })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'write_file', { path: path.join(teamA.sandbox!.folder, 'state.json'), text: '{}' })).toMatchObject({ ok: true });
    const written = statSync(path.join(teamA.sandbox!.folder, 'state.json'));
    if (isRoot) expect(written.uid).toBe(teamA.sandbox!.uid);
  });

  it("has no network: neither Postgres' unix socket nor a worker port on loopback nor anything outside", async () => {
    expect(await probe(teamA, 'connect_unix', { path: '/var/run/postgresql/.s.PGSQL.5432' })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'connect_unix', { path: '/run/postgresql/.s.PGSQL.5432' })).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await probe(teamA, 'connect_tcp', { host: '127.0.0.1', port: 5432 })).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(await probe(teamA, 'connect_tcp', { host: '127.0.0.1', port: listenerPort })).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    const outside = await probe(teamA, 'connect_tcp', { host: '10.0.0.1', port: 80 });
    expect(outside.ok).toBe(false);
    expect(['ENETUNREACH', 'EHOSTUNREACH']).toContain(outside.code);
  });
});

describe('public catalog servers inside the sandbox (the probes of issue #7)', () => {
  const programDirs = [path.join(repoRoot(), 'node_modules/.bin')];
  let catalog: McpPool;
  const catalogSpec = (key: string, command: string[], sandbox: SandboxPolicy, env: Record<string, string> = {}): StdioSpec => ({
    transport: 'stdio',
    key,
    command,
    env,
    cwd: sandbox.folder,
    sandbox: { ...sandbox, readOnlyPaths: [] }, // the program's own node_modules is found from its path
  });
  const textOf = (result: { content: unknown }) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

  beforeAll(() => {
    catalog = new McpPool({ programDirs, sandbox: { mode: 'required' } });
  });
  afterAll(async () => catalog?.close());

  it('server-everything works as usual', async () => {
    const spec = catalogSpec('everything', ['mcp-server-everything', 'stdio'], installation('everything'));
    expect(textOf(await catalog.callTool(spec, 'echo', { message: 'inside' }, call))).toBe('Echo: inside');
  });

  it("server-filesystem rooted at / sees the sandbox's root only: no .env, no other folder, no worker environ", async () => {
    const spec = catalogSpec('filesystem', ['mcp-server-filesystem', '/'], installation('filesystem'));
    const env = await catalog.callTool(spec, 'read_text_file', { path: path.join(root, '.env') }, call);
    expect(env.isError).toBe(true);
    expect(textOf(env)).not.toContain(CANARY);
    const other = await catalog.callTool(spec, 'read_text_file', { path: path.join(teamB.sandbox!.folder, 'memory.json') }, call);
    expect(other.isError).toBe(true);
    expect(textOf(other)).not.toContain('B-confidential');
    const environ = await catalog.callTool(spec, 'read_text_file', { path: `/proc/${process.pid}/environ` }, call);
    expect(textOf(environ)).not.toContain(CANARY);
    const listing = textOf(await catalog.callTool(spec, 'list_directory', { path: path.dirname(spec.sandbox!.folder) }, call));
    expect(listing).toContain('filesystem');
    expect(listing).not.toMatch(/\bb\b|everything/);
  });

  it('server-memory keeps one file per installation; its default file (inside node_modules) cannot be written', async () => {
    const a = installation('memory-a');
    const b = installation('memory-b');
    const memoryA = catalogSpec('memory-a', ['mcp-server-memory'], a, { MEMORY_FILE_PATH: path.join(a.folder, 'memory.jsonl') });
    const memoryB = catalogSpec('memory-b', ['mcp-server-memory'], b, { MEMORY_FILE_PATH: path.join(b.folder, 'memory.jsonl') });
    const entity = { name: 'B-confidential', entityType: 'secret', observations: ['only for B'] };
    expect((await catalog.callTool(memoryB, 'create_entities', { entities: [entity] }, call)).isError).toBeFalsy();
    expect(textOf(await catalog.callTool(memoryA, 'read_graph', {}, call))).not.toContain('B-confidential');
    expect(textOf(await catalog.callTool(memoryB, 'read_graph', {}, call))).toContain('B-confidential');
    const shared = catalogSpec('memory-default', ['mcp-server-memory'], installation('memory-default'));
    const write = await catalog.callTool(shared, 'create_entities', { entities: [entity] }, call);
    expect(write.isError).toBe(true);
    expect(textOf(write)).toMatch(/EROFS|read-only/i);
  });

  it("server-postgres cannot reach Manifold's Postgres, over TCP or the unix socket", async () => {
    for (const url of ['postgresql://postgres@127.0.0.1:5432/postgres', 'postgresql://postgres@localhost/postgres?host=/var/run/postgresql']) {
      const spec = catalogSpec(`postgres-${url.length}`, ['mcp-server-postgres', url], installation(`postgres-${url.length}`));
      const outcome = await catalog.callTool(spec, 'query', { sql: 'select current_user' }, call).then(
        (result) => ({ ok: !result.isError, text: textOf(result) }),
        (error: unknown) => ({ ok: false, text: String(error) }),
      );
      expect(outcome.ok).toBe(false);
      expect(outcome.text).toMatch(/ECONNREFUSED|ENOENT/);
    }
  });
});

describe('resource limits become clear errors', () => {
  const failure = (promise: Promise<unknown>) => rejectionOf(promise, McpCallError);

  it('memory: "exceeded its memory limit"', async () => {
    const spec = specOf('memory', installation('memory', { memoryMiB: 128 }));
    const error = await failure(pool.callTool(spec, 'allocate', { mib: 2_000 }, call));
    expect(error.errorClass).toBe('transport_error');
    expect(error.message).toMatch(/the server exceeded its memory limit \(128 MiB\)/);
  });

  it.skipIf(!isRoot)('processes: a fork bomb stops at the limit, "exceeded its process limit"', async () => {
    const spec = specOf('fork', installation('fork', { processes: 24 }));
    const error = await failure(pool.callTool(spec, 'fork_bomb', { count: 200 }, call));
    expect(error.message).toMatch(/the server exceeded its process limit \(24 processes and threads\)/);
  });

  it('CPU time: "exceeded its CPU-time limit"', async () => {
    const spec = specOf('cpu', installation('cpu', { cpuSeconds: 2 }));
    const error = await failure(pool.callTool(spec, 'burn_cpu', {}, call));
    expect(error.message).toMatch(/the server exceeded its CPU-time limit \(2 s\)/);
  });

  it('file size: "exceeded its file-size limit"', async () => {
    const spec = specOf('fsize', installation('fsize', { fileSizeMiB: 1 }));
    const error = await failure(pool.callTool(spec, 'write_big', { mib: 3 }, call));
    expect(error.message).toMatch(/the server exceeded its file-size limit \(1 MiB per file\)/);
  });

  it('open files: "exceeded its open-file limit"', async () => {
    const spec = specOf('nofile', installation('nofile', { openFiles: 64 }));
    const error = await failure(pool.callTool(spec, 'open_files', { count: 500 }, call));
    expect(error.message).toMatch(/the server exceeded its open-file limit \(64 files\)/);
  });
});

describe('after the attacks', () => {
  it("leaves the worker and the other installation's data intact, and ends every sandboxed process on close", async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(readFileSync(path.join(teamB.sandbox!.folder, 'memory.json'), 'utf8')).toBe('B-confidential');
    expect(readFileSync(path.join(root, '.env'), 'utf8')).toContain(CANARY);
    expect(await probe(teamB, 'identity')).toHaveProperty('hostname', 'sandbox');
    const pids = pool.stats().pids.flatMap((pid) => [pid, ...descendantPids(pid)]);
    expect(pids.length).toBeGreaterThan(0);
    await pool.close();
    expect(pids.filter(isProcessAlive)).toEqual([]);
    pool = new McpPool({ sandbox: { mode: 'required' } });
  });
});

describe('the sandbox dies with the worker', () => {
  it('a worker killed with SIGKILL takes every sandboxed process with it (bwrap --die-with-parent)', async () => {
    // node itself with tsx's loader: the tsx command would run the script in a grandchild that SIGKILL would miss.
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fixture), 'pool-holder.ts'), JSON.stringify(installation('held'))], {
      cwd: repoRoot(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => void holder.kill('SIGKILL'));
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        if (buffered.includes('\n')) resolve(buffered.split('\n')[0]!);
      });
      holder.once('exit', (code) => reject(new Error(`the pool holder exited early (${code})`)));
    });
    const { pids } = JSON.parse(line) as { pids: number[] };
    expect(pids.length).toBeGreaterThanOrEqual(3); // bwrap, its init in the namespace, the server
    expect(pids.every(isProcessAlive)).toBe(true);
    holder.kill('SIGKILL');
    await waitFor(async () => pids.every((pid) => !isProcessAlive(pid)), { timeoutMs: 10_000, intervalMs: 50, description: 'the sandboxed processes to die with their worker' });
  });
});

describe('sandbox modes', () => {
  const broken = { available: false, reason: 'bwrap is not installed' };

  it('required: refuses a stdio server when the sandbox does not work, or when the spec has no policy', async () => {
    const strict = new McpPool({ sandbox: { mode: 'required', probe: broken } });
    try {
      const error = await rejectionOf(strict.callTool(teamA, 'identity', {}, call), McpCallError);
      expect(error.errorClass).toBe('config_error');
      expect(error.message).toMatch(/must run in a sandbox here, and bwrap is not installed/);
    } finally {
      await strict.close();
    }
    const unsandboxed: StdioSpec = { transport: 'stdio', key: 'no-policy', command: [process.execPath, fixture] };
    const error = await rejectionOf(pool.callTool(unsandboxed, 'identity', {}, call), McpCallError);
    expect(error.message).toMatch(/it has no sandbox policy/);
  });

  it('optional: runs unsandboxed with one loud warning, however many servers start', async () => {
    const warnings: PoolEvent[] = [];
    const lenient = new McpPool({
      sandbox: { mode: 'optional', probe: broken },
      onEvent: (event) => event.type === 'warning' && warnings.push(event),
    });
    try {
      const a = await lenient.callTool({ ...teamA, key: 'lenient-a' }, 'identity', {}, call);
      await lenient.callTool({ ...teamB, key: 'lenient-b' }, 'identity', {}, call);
      expect(a.isError).toBeFalsy();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ message: expect.stringMatching(/WITHOUT A SANDBOX: bwrap is not installed/) });
    } finally {
      await lenient.close();
    }
  });

  it('refuses an egress policy when no egress gateway is configured', async () => {
    const policy = { ...installation('egress'), network: { mode: 'egress' as const, allow: [{ host: 'example.com', port: 443 }] } };
    const error = await rejectionOf(pool.callTool(specOf('egress', policy), 'identity', {}, call), McpCallError);
    expect(error).toMatchObject({ errorClass: 'config_error', message: expect.stringMatching(/no egress gateway/) });
  });
});
