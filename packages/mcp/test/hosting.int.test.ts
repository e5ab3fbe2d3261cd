// Safe hosting against real servers: the SSRF guard on connect and on redirects, the result size limit,
// and that no stdio process outlives its pool entry (after a run, after the idle timeout).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureStdioCommand, repoRoot, startEverythingHttpServer, waitFor, type RunningHttpServer, rejectionOf } from '@manifold/testing';
import { descendantPids, isProcessAlive, McpCallError, McpPool, type ConnectionSpec } from '../src/index';

const programDirs = [path.join(repoRoot(), 'node_modules/.bin')];
const call = { timeoutMs: 15_000 };

let everything: RunningHttpServer;
let redirector: Server;
let redirectorPort: number;
let redirectTarget = '';
let bystander: Server;
let bystanderPort: number;
let bystanderHits = 0;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  everything = await startEverythingHttpServer();
  // Answers every request with a 307 to wherever the current test points it.
  redirector = createServer((req, res) => {
    req.resume();
    res.writeHead(307, { location: redirectTarget }).end();
  });
  redirectorPort = await listen(redirector, '127.0.0.1');
  // A server on another loopback address that must never be reached when it is not allowlisted.
  bystander = createServer((req, res) => {
    bystanderHits++;
    req.resume();
    res.writeHead(500).end();
  });
  bystanderPort = await listen(bystander, '127.0.0.2');
});

afterAll(async () => {
  await everything?.stop();
  redirector?.close();
  bystander?.close();
});

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, McpCallError);

/** The server process and everything it started (the fixture runs under tsx: wrapper + node). */
function processTree(pid: number): number[] {
  const tree = [pid, ...descendantPids(pid)];
  expect(tree.length).toBeGreaterThan(1);
  return tree;
}

async function allExited(pids: number[], what: string): Promise<void> {
  await waitFor(async () => pids.every((pid) => !isProcessAlive(pid)), { timeoutMs: 15_000, intervalMs: 50, description: what });
}

describe('SSRF guard in the pool', () => {
  it('refuses a loopback server unless loopback is allowlisted', async () => {
    const spec: ConnectionSpec = { transport: 'http', key: 'loopback', url: everything.url };
    const guarded = new McpPool({ programDirs });
    try {
      const error = await failureOf(guarded.listTools(spec, call));
      expect(error.errorClass).toBe('network_blocked');
      expect(error.message).toMatch(/127\.0\.0\.1, a loopback address/);
    } finally {
      await guarded.close();
    }
    const allowed = new McpPool({ programDirs, network: { allowLoopback: true } });
    try {
      expect((await allowed.listTools(spec, call)).map((t) => t.name)).toContain('echo');
    } finally {
      await allowed.close();
    }
  });

  it('follows a redirect to an allowed server, keeping the request intact', async () => {
    redirectTarget = everything.url;
    const pool = new McpPool({ programDirs, network: { allowLoopback: true } });
    try {
      const spec: ConnectionSpec = { transport: 'http', key: 'redirected', url: `http://127.0.0.1:${redirectorPort}/mcp` };
      const result = await pool.callTool(spec, 'echo', { message: 'via redirect' }, call);
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: via redirect' }]);
    } finally {
      await pool.close();
    }
  });

  it.each([
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, a linkLocal address/],
    ['a loopback address not on the allowlist', () => `http://127.0.0.2:${bystanderPort}/mcp`, /127\.0\.0\.2, a loopback address/],
    ['an IPv4-mapped IPv6 loopback form', () => `http://[::ffff:127.0.0.2]:${bystanderPort}/mcp`, /a loopback address/],
    ['a decimal IPv4 form', () => `http://2130706434:${bystanderPort}/mcp`, /127\.0\.0\.2, a loopback address/],
  ])('refuses a redirect to %s and never contacts it', async (_label, target, message) => {
    redirectTarget = target();
    bystanderHits = 0;
    const pool = new McpPool({ programDirs, network: { allowedHosts: ['127.0.0.1'] } });
    try {
      const spec: ConnectionSpec = { transport: 'http', key: 'redirect-blocked', url: `http://127.0.0.1:${redirectorPort}/mcp` };
      const error = await failureOf(pool.listTools(spec, call));
      expect(error.errorClass).toBe('network_blocked');
      expect(error.message).toMatch(message);
      expect(bystanderHits).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it("refuses Manifold's own port with loopback allowed, directly and through a redirect, and never contacts it", async () => {
    bystanderHits = 0;
    // The bystander plays a Manifold service listening on all loopback addresses (protected as 127.0.0.1:<port>).
    const pool = new McpPool({ programDirs, network: { allowLoopback: true, protectedEndpoints: [{ host: '127.0.0.1', port: bystanderPort }] } });
    try {
      const direct: ConnectionSpec = { transport: 'http', key: 'protected-direct', url: `http://127.0.0.2:${bystanderPort}/mcp` };
      expect((await failureOf(pool.listTools(direct, call))).message).toMatch(/one of Manifold's own services.*no setting allows/);
      redirectTarget = `http://localhost:${bystanderPort}/api/v1/namespaces`;
      const redirected: ConnectionSpec = { transport: 'http', key: 'protected-redirect', url: `http://127.0.0.1:${redirectorPort}/mcp` };
      const error = await failureOf(pool.listTools(redirected, call));
      expect(error.errorClass).toBe('network_blocked');
      expect(error.message).toMatch(/one of Manifold's own services/);
      expect(bystanderHits).toBe(0);
      // Another loopback port stays reachable: only Manifold's own are closed.
      expect((await pool.listTools({ transport: 'http', key: 'still-allowed', url: everything.url }, call)).map((t) => t.name)).toContain('echo');
    } finally {
      await pool.close();
    }
  });
});

describe('stdio hosting limits and cleanup', () => {
  it('fails a result larger than the limit as a protocol error, and the session stays usable', async () => {
    const pool = new McpPool({ programDirs, maxResultBytes: 10_000 });
    const spec: ConnectionSpec = { transport: 'stdio', key: 'big', command: fixtureStdioCommand() };
    try {
      const error = await failureOf(pool.callTool(spec, 'echo', { message: 'x'.repeat(20_000) }, call));
      expect(error.errorClass).toBe('protocol_error');
      expect(error.message).toMatch(/more than the limit of 10000 bytes/);
      expect((await pool.callTool(spec, 'echo', { message: 'small' }, call)).isError).toBeFalsy();
    } finally {
      await pool.close();
    }
  });

  it('ends the process after a run once the pool is closed, and refuses new calls', async () => {
    const pool = new McpPool({ programDirs });
    const spec: ConnectionSpec = { transport: 'stdio', key: 'run', command: fixtureStdioCommand() };
    await Promise.all(Array.from({ length: 5 }, (_, i) => pool.callTool(spec, 'echo', { message: `m${i}` }, call)));
    const pids = pool.stats().pids;
    expect(pids).toHaveLength(1);
    const tree = processTree(pids[0]!);
    await pool.close();
    await allExited(tree, 'the server and its children to exit');
    expect((await failureOf(pool.callTool(spec, 'echo', { message: 'late' }, call))).errorClass).toBe('transport_error');
  });

  it('ends an idle process after the idle timeout and starts a new one on the next call', async () => {
    const events: string[] = [];
    const pool = new McpPool({ programDirs, idleTimeoutMs: 300, onEvent: (e) => e.type === 'closed' && events.push(e.reason) });
    const spec: ConnectionSpec = { transport: 'stdio', key: 'idle', command: fixtureStdioCommand() };
    try {
      await pool.callTool(spec, 'echo', { message: 'once' }, call);
      const [pid] = pool.stats().pids;
      const tree = processTree(pid!);
      await allExited(tree, 'the idle server and its children to exit');
      expect(pool.stats().sessions).toBe(0);
      expect(events).toContain('idle');
      await pool.callTool(spec, 'echo', { message: 'again' }, call);
      expect(pool.stats().pids).not.toContain(pid);
    } finally {
      await pool.close();
    }
  });

  it('never leaves a process behind when the pool closes while a call is in flight', async () => {
    const pool = new McpPool({ programDirs });
    const spec: ConnectionSpec = { transport: 'stdio', key: 'busy', command: fixtureStdioCommand() };
    await pool.callTool(spec, 'echo', { message: 'warm' }, call);
    const tree = processTree(pool.stats().pids[0]!);
    const pending = pool.callTool(spec, 'slow', { ms: 60_000 }, { timeoutMs: 120_000 }).catch((e: unknown) => e);
    await pool.close();
    await allExited(tree, 'the busy server and its children to exit');
    expect(await pending).toBeInstanceOf(Error);
  });
});
