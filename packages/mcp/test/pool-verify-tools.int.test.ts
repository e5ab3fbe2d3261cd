// The pool's per-session tool check (tool pinning's hook) against the real fixture server: asked once per
// session however many calls share it, a refused tool does not block the others, and a refusal is confirmed
// by a fresh check, so an approval made meanwhile lets the next call through on the same session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureStdioCommand, rejectionOf } from '@manifold/testing';
import { McpCallError, McpPool, type ConnectionSpec, type Tool } from '../src/index';

const call = { timeoutMs: 10_000 };
let pool: McpPool;

beforeAll(() => {
  pool = new McpPool({ idleTimeoutMs: 60_000 });
});

afterAll(async () => {
  await pool?.close();
});

/** A check that counts how often it is asked and holds the tools in `held`. */
function countingCheck(held: Set<string>) {
  const seen: string[][] = [];
  const verifyTools = async (tools: Tool[]) => {
    seen.push(tools.map((t) => t.name));
    const holding = new Set(held); // the verdict of this check, as a database read would give it
    return (name: string) => {
      if (holding.has(name)) throw new McpCallError('tools_held', `"${name}" is held`);
    };
  };
  return { seen, verifyTools };
}

describe('McpPool verifyTools', () => {
  it('checks a session once for many calls, with its live tools/list', async () => {
    const spec: ConnectionSpec = { transport: 'stdio', key: 'verify-once', command: fixtureStdioCommand() };
    const check = countingCheck(new Set());
    await Promise.all(Array.from({ length: 10 }, (_, i) => pool.callTool(spec, 'echo', { message: `m${i}` }, { ...call, verifyTools: check.verifyTools })));
    await pool.callTool(spec, 'echo', { message: 'later' }, { ...call, verifyTools: check.verifyTools });
    expect(check.seen).toHaveLength(1);
    expect(check.seen[0]).toEqual(expect.arrayContaining(['echo', 'env']));
  });

  it('refuses only the held tool, and lets it through once a fresh check no longer holds it', async () => {
    const spec: ConnectionSpec = { transport: 'stdio', key: 'verify-held', command: fixtureStdioCommand() };
    const held = new Set(['echo']);
    const check = countingCheck(held);
    const options = { ...call, verifyTools: check.verifyTools };
    const refused = await rejectionOf(pool.callTool(spec, 'echo', { message: 'x' }, options), McpCallError);
    expect(refused.errorClass).toBe('tools_held');
    const pids = pool.stats().pids;
    expect((await pool.callTool(spec, 'env', { name: 'HOME' }, options)).isError).toBeFalsy();
    held.clear(); // approved
    const result = await pool.callTool(spec, 'echo', { message: 'approved' }, options);
    expect(result.structuredContent).toEqual({ message: 'approved' });
    expect(pool.stats().pids).toEqual(pids); // the same process throughout
  });

  it('a live listing with a check is the session’s check: the calls after it do not list again', async () => {
    const spec: ConnectionSpec = { transport: 'stdio', key: 'verify-by-listing', command: fixtureStdioCommand() };
    const listing = countingCheck(new Set());
    const calls = countingCheck(new Set());
    const tools = await pool.listTools(spec, { ...call, verifyTools: listing.verifyTools });
    await pool.callTool(spec, 'echo', { message: 'x' }, { ...call, verifyTools: calls.verifyTools });
    expect(listing.seen).toEqual([tools.map((t) => t.name)]);
    expect(calls.seen).toEqual([]);
  });

  it('a check that fails (e.g. the database is down) fails the call and is asked again next time', async () => {
    const spec: ConnectionSpec = { transport: 'stdio', key: 'verify-fails', command: fixtureStdioCommand() };
    let calls = 0;
    const verifyTools = async () => {
      calls++;
      if (calls === 1) throw new McpCallError('transport_error', 'database unavailable');
      return () => undefined;
    };
    await expect(pool.callTool(spec, 'echo', { message: 'x' }, { ...call, verifyTools })).rejects.toThrow(/database unavailable/);
    expect((await pool.callTool(spec, 'echo', { message: 'y' }, { ...call, verifyTools })).structuredContent).toEqual({ message: 'y' });
    expect(calls).toBe(2);
  });
});
