import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { startFixtureHttpServer, sha256Hex } from './src/index';

async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'scratch', version: '0' });
  const t0 = performance.now();
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return { client, ms: performance.now() - t0 };
}
const call = async (client: Client, name: string, a: Record<string, unknown> = {}) => {
  try { const r = await client.callTool({ name, arguments: a }); console.log(name, JSON.stringify(a), '→', JSON.stringify(r).slice(0, 400)); }
  catch (e) { console.log(name, '→ THROWS', (e as Error).constructor.name, (e as Error).message.slice(0, 200)); }
};

const stateDir = mkdtempSync('/tmp/scratch-testing/state-');
let t0 = performance.now();
let server = await startFixtureHttpServer({ env: { FIXTURE_STATE_DIR: stateDir, SECRET_Y: 's3cret' } });
console.log('http start ms', Math.round(performance.now() - t0), server.url);
let { client, ms } = await connect(server.url);
console.log('session ms', Math.round(ms));
await call(client, 'echo', { message: 'hi' });
await call(client, 'fail', { message: 'boom' });
await call(client, 'flaky', { key: 'persist', failTimes: 3 });
await call(client, 'flaky', { key: 'persist', failTimes: 3 });
await call(client, 'slow', { ms: 50 });
await Promise.all([1, 2, 3, 4].map(() => call(client, 'concurrency', { ms: 100 })));
await call(client, 'concurrency_stats', {});
await call(client, 'env', { name: 'SECRET_Y' }); console.log('expected', sha256Hex('s3cret'));
await call(client, 'require_env', { name: 'MISSING_ONE' });
await call(client, 'malformed');
const second = await connect(server.url);
await call(second.client, 'echo', { message: 'second session' });
await call(client, 'crash');
await call(client, 'echo', { message: 'after crash same client' });
await call(second.client, 'echo', { message: 'other session after crash' });
await second.client.close();
await client.close().catch(() => undefined);
const pids = execSync(`pgrep -f "fixture-server/main.ts http" || true`).toString().trim();
console.log('fixture pids before stop', pids.split('\n').length);
await server.stop();
console.log('fixture pids after stop:', JSON.stringify(execSync(`pgrep -f "fixture-server/main.ts http" || true`).toString().trim()));

// restart with the same state dir: flaky counter survives
server = await startFixtureHttpServer({ env: { FIXTURE_STATE_DIR: stateDir } });
({ client } = await connect(server.url));
await call(client, 'flaky', { key: 'persist', failTimes: 3 });
await call(client, 'flaky', { key: 'persist', failTimes: 3 });
await client.close();
await server.stop();

// header gate
server = await startFixtureHttpServer({ env: { FIXTURE_REQUIRE_HEADER: 'X-Api-Key: abc123' } });
const raw = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
console.log('no header →', raw.status, await raw.text());
const wrong = await fetch(server.url, { method: 'POST', headers: { 'x-api-key': 'abc1234' }, body: '{}' });
console.log('wrong header →', wrong.status);
const other = await fetch(server.url.replace('/mcp', '/other'), { headers: { 'x-api-key': 'abc123' } });
console.log('other path →', other.status);
try { await connect(server.url); console.log('connected without header?!'); } catch (e) { console.log('client without header →', (e as Error).constructor.name, (e as Error).message.slice(0, 200)); }
({ client } = await connect(server.url, { 'X-Api-Key': 'abc123', Authorization: 'Bearer tok' }));
await call(client, 'echo', { message: 'authorised' });
const r = await client.callTool({ name: 'request_headers', arguments: {} });
const calls = (r.structuredContent as { calls: Array<{ tool: string; headers: Record<string, string> }> }).calls;
console.log('header log tools', calls.map((c) => c.tool), 'x-api-key matches', calls.at(-1)?.headers['x-api-key'] === sha256Hex('abc123'), 'auth matches', calls.at(-1)?.headers['authorization'] === sha256Hex('Bearer tok'));
console.log('header names', Object.keys(calls.at(-1)!.headers).join(','));
await client.close();
t0 = performance.now();
await server.stop();
console.log('stop ms', Math.round(performance.now() - t0));
