import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fixtureStdioCommand } from './src/index';

const [command, ...args] = fixtureStdioCommand();
const t0 = performance.now();
const transport = new StdioClientTransport({ command: command!, args, env: { ...getDefaultEnvironment(), SECRET_X: 'hunter2' }, stderr: 'inherit' });
const client = new Client({ name: 'scratch', version: '0' });
await client.connect(transport);
console.log('spawn+initialize ms', Math.round(performance.now() - t0));
const tools = await client.listTools();
for (const t of tools.tools) console.log(t.name, JSON.stringify(t.annotations), t.outputSchema ? 'out' : '');
const call = async (name: string, a: Record<string, unknown> = {}) => {
  try { const r = await client.callTool({ name, arguments: a }); console.log(name, JSON.stringify(a), '→', JSON.stringify(r)); }
  catch (e) { console.log(name, '→ THROWS', (e as Error).constructor.name, (e as Error).message.slice(0, 300)); }
};
await call('echo', { message: 'hi' });
await call('fail', { message: 'boom' });
await call('flaky', { key: 'k', failTimes: 2 });
await call('flaky', { key: 'k', failTimes: 2 });
await call('flaky', { key: 'k', failTimes: 2 });
await call('flaky', { key: 'k', failTimes: 2 });
let t1 = performance.now();
await call('slow', { ms: 100 }); console.log('slow took', Math.round(performance.now() - t1));
t1 = performance.now();
try { await client.callTool({ name: 'slow', arguments: { ms: 5000 } }, undefined, { signal: AbortSignal.timeout(100) }); } catch (e) { console.log('abort →', (e as Error).message, Math.round(performance.now() - t1)); }
await Promise.all([1, 2, 3].map(() => call('concurrency', { ms: 100, key: 'c' })));
await call('concurrency_stats', { key: 'c' });
await call('env', { name: 'SECRET_X' });
await call('env', { name: 'NOPE' });
await call('require_env', { name: 'NOPE' });
await call('require_env', { name: 'SECRET_X' });
await call('request_headers');
await call('malformed');
await call('echo', { message: 'still alive after malformed' });
await call('echo', { message: 123 });
await call('nope');
let closed = false; client.onclose = () => { closed = true; };
await call('crash');
console.log('closed after crash', closed, 'pid', transport.pid);
await client.close();
