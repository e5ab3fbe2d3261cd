// The MCP pool against real servers: server-everything over stdio and Streamable HTTP, and the fixture
// server for failures (slow, crash, malformed, header-gated).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureStdioCommand,
  repoRoot,
  startEverythingHttpServer,
  startFixtureHttpServer,
  waitFor,
  type RunningHttpServer,
  rejectionOf,
} from '@manifold/testing';
import { McpCallError, McpPool, type ConnectionSpec } from '../src/index';

const programDirs = [path.join(repoRoot(), 'node_modules/.bin')];
const everythingStdio: ConnectionSpec = { transport: 'stdio', key: 'everything', command: ['mcp-server-everything', 'stdio'] };
const fixtureStdio: ConnectionSpec = { transport: 'stdio', key: 'fixture', command: fixtureStdioCommand() };
const call = { timeoutMs: 10_000 };

let pool: McpPool;
let everythingHttp: RunningHttpServer;
let gatedHttp: RunningHttpServer;

beforeAll(async () => {
  pool = new McpPool({ programDirs, idleTimeoutMs: 60_000, network: { allowLoopback: true } });
  [everythingHttp, gatedHttp] = await Promise.all([
    startEverythingHttpServer(),
    startFixtureHttpServer({ env: { FIXTURE_REQUIRE_HEADER: 'X-Api-Key: open-sesame' } }),
  ]);
});

afterAll(async () => {
  await pool?.close();
  await Promise.all([everythingHttp?.stop(), gatedHttp?.stop()]);
});

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, McpCallError);

describe('McpPool', () => {
  it('calls server-everything over stdio and reuses one process for many calls', async () => {
    const first = await pool.callTool(everythingStdio, 'echo', { message: 'one' }, call);
    expect(first.content).toEqual([{ type: 'text', text: 'Echo: one' }]);
    const pidsAfterFirst = pool.stats().pids;
    await Promise.all(Array.from({ length: 20 }, (_, i) => pool.callTool(everythingStdio, 'get-sum', { a: i, b: 1 }, call)));
    expect(pool.stats().pids).toEqual(pidsAfterFirst);
  });

  it('calls server-everything over Streamable HTTP', async () => {
    const spec: ConnectionSpec = { transport: 'http', key: 'everything-http', url: everythingHttp.url };
    const tools = await pool.listTools(spec, call);
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await pool.callTool(spec, 'echo', { message: 'over http' }, call);
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: over http' }]);
  });

  it('sends configured headers to a remote server, and fails as a transport error without them', async () => {
    const withHeader: ConnectionSpec = { transport: 'http', key: 'gated-ok', url: gatedHttp.url, headers: { 'X-Api-Key': 'open-sesame' } };
    const result = await pool.callTool(withHeader, 'echo', { message: 'let me in' }, call);
    expect(result.structuredContent).toEqual({ message: 'let me in' });
    const without: ConnectionSpec = { transport: 'http', key: 'gated-no', url: gatedHttp.url };
    expect((await failureOf(pool.callTool(without, 'echo', { message: 'x' }, call))).errorClass).toBe('transport_error');
  });

  it('returns isError results as data for the caller to classify', async () => {
    const result = await pool.callTool(fixtureStdio, 'fail', { message: 'nope' }, call);
    expect(result.isError).toBe(true);
  });

  it('classifies a call that outlives its timeout as a timeout, and the session stays usable', async () => {
    const error = await failureOf(pool.callTool(fixtureStdio, 'slow', { ms: 5_000 }, { timeoutMs: 300 }));
    expect(error.errorClass).toBe('timeout');
    const ok = await pool.callTool(fixtureStdio, 'echo', { message: 'still here' }, call);
    expect(ok.isError).toBeFalsy();
  });

  it('classifies a malformed response as a protocol error', async () => {
    expect((await failureOf(pool.callTool(fixtureStdio, 'malformed', {}, call))).errorClass).toBe('protocol_error');
  });

  it('classifies a crashed server as a transport error and starts a new process on the next call', async () => {
    await pool.callTool(fixtureStdio, 'echo', { message: 'warm' }, call);
    const before = pool.stats().pids;
    expect((await failureOf(pool.callTool(fixtureStdio, 'crash', {}, call))).errorClass).toBe('transport_error');
    const result = await pool.callTool(fixtureStdio, 'echo', { message: 'back' }, call);
    expect(result.isError).toBeFalsy();
    expect(pool.stats().pids).not.toEqual(before);
  });

  it('fails fast with a clear message when a program does not exist', async () => {
    const spec: ConnectionSpec = { transport: 'stdio', key: 'missing', command: ['no-such-mcp-server'] };
    const error = await failureOf(pool.callTool(spec, 'echo', {}, call));
    expect(error.errorClass).toBe('transport_error');
    expect(error.message).toMatch(/no-such-mcp-server" was not found/);
  });

  it('ends every child process on close', async () => {
    const local = new McpPool({ programDirs });
    await local.callTool(everythingStdio, 'echo', { message: 'x' }, call);
    const [pid] = local.stats().pids;
    expect(pid).toBeTypeOf('number');
    await local.close();
    const isAlive = () => {
      try {
        process.kill(pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(async () => !isAlive(), { timeoutMs: 10_000, intervalMs: 50, description: `server process ${pid} to exit` });
  });
});
