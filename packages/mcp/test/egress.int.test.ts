// The egress gateway against real processes: a client inside a real bubblewrap sandbox (its own network
// namespace, no way out but the forwarder) reaches its allowed target and nothing else, and a session's socket
// only ever serves that session's allow-list.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgressGateway, SANDBOX_EGRESS_SOCKET, type EgressEvent } from '../src/sandbox/egress';
import { repoRoot, waitFor } from '@manifold/testing';
import { McpPool, type ConnectionSpec } from '../src/index';
import type { Resolver } from '../src/network-policy';

const BWRAP = '/usr/bin/bwrap';
// The host read-only, its own /dev, /proc, /run and /tmp, every namespace new (no network): H1a's builder does more.
// A checkout under /tmp (a CI clone) is bound back over the sandbox's own /tmp, as the product's layout does.
const SANDBOX_BASE = [
  ...['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/run', '--tmpfs', '/tmp'],
  ...(repoRoot().startsWith('/tmp/') ? ['--ro-bind', repoRoot(), repoRoot()] : []),
];

interface Listener {
  server: net.Server;
  port: number;
  connections: number;
}

/** A TCP server on 127.0.0.1 that echoes (or, as the "protected" one, only counts connections). */
function startListener(echo: boolean): Promise<Listener> {
  return new Promise((resolve) => {
    const listener = { connections: 0 } as Listener;
    listener.server = net.createServer((socket) => {
      listener.connections++;
      socket.on('error', () => {});
      if (echo) socket.pipe(socket);
      else socket.end('protected\n');
    });
    listener.server.listen(0, '127.0.0.1', () => {
      listener.port = (listener.server.address() as net.AddressInfo).port;
      resolve(listener);
    });
  });
}

// Inside the sandbox: try each "host:port" (or "socket:<request line>" straight to the proxy's socket), report JSON.
const CLIENT = `
const net = require('node:net');
const fs = require('node:fs');
function probe(spec) {
  return new Promise((resolve) => {
    const raw = spec.startsWith('socket:');
    const [host, port] = raw ? [] : [spec.slice(0, spec.lastIndexOf(':')), Number(spec.slice(spec.lastIndexOf(':') + 1))];
    const socket = raw ? net.createConnection(${JSON.stringify(SANDBOX_EGRESS_SOCKET)}) : net.createConnection({ host, port });
    let data = '';
    const done = (result) => { socket.destroy(); resolve({ spec, ...result }); };
    socket.setTimeout(5000, () => done({ error: 'timeout', data }));
    socket.on('connect', () => socket.write(raw ? spec.slice(7) + '\\n' : 'ping\\n'));
    socket.on('data', (chunk) => { data += chunk; if (data.includes('\\n')) done({ data }); });
    socket.on('error', (error) => done({ error: error.code || error.message, data }));
    socket.on('end', () => done({ error: 'closed', data }));
  });
}
(async () => {
  const results = [];
  for (const spec of JSON.parse(process.argv[1])) results.push(await probe(spec));
  const hosts = fs.readFileSync('/etc/hosts', 'utf8');
  process.stdout.write(JSON.stringify({ results, hosts }));
  process.exit(Number(process.argv[2] || 0));
})();
`;

function runSandboxed(
  bwrapArgs: string[],
  command: string[],
  asUid?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = [...SANDBOX_BASE, ...bwrapArgs, '--', ...command];
  // As another host uid (as a per-installation uid would be), bwrap itself must reach the socket: hence 0711 + 0666.
  const [program, programArgs] = asUid === undefined ? [BWRAP, args] : ['/usr/bin/setpriv', ['--reuid', String(asUid), '--regid', String(asUid), '--clear-groups', BWRAP, ...args]];
  return new Promise((resolve) => {
    execFile(program, programArgs, { timeout: 60_000, env: { PATH: '/usr/bin:/bin' } }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

let echo: Listener;
let protectedService: Listener;
let runtimeDir: string;
const events: EgressEvent[] = [];

const dns: Record<string, string[]> = {};
const resolve: Resolver = async (host) => {
  const found = dns[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

beforeAll(async () => {
  echo = await startListener(true);
  protectedService = await startListener(false);
  dns['echo.test'] = ['127.0.0.1'];
  dns['db.test'] = ['127.0.0.1']; // a name for Manifold's own "database": DNS-rebinding style
  dns['private.test'] = ['10.20.30.40'];
  runtimeDir = mkdtempSync(path.join(tmpdir(), 'egress-'));
});

afterAll(async () => {
  echo.server.close();
  protectedService.server.close();
  rmSync(runtimeDir, { recursive: true, force: true });
});

function gateway() {
  return createEgressGateway({
    runtimeDir,
    // Development's setting: loopback allowed. Manifold's own port must stay closed anyway.
    network: { allowLoopback: true },
    protectedEndpoints: [{ host: 'localhost', port: protectedService.port }],
    onEvent: (event) => events.push(event),
    resolve,
  });
}

describe('egress from inside a bubblewrap sandbox', () => {
  it('reaches only the allowed targets; protected, unlisted and public addresses fail', async () => {
    const egress = gateway();
    try {
      const session = await egress.open('installation-a', [
        { host: 'echo.test', port: echo.port },
        { host: '127.0.0.1', port: echo.port },
        { host: 'db.test', port: protectedService.port },
        { host: 'private.test', port: 5432 },
      ]);
      const socketFile = session.bwrapArgs[1]!;
      expect(statSync(socketFile).mode & 0o777).toBe(0o666);
      expect(statSync(runtimeDir).mode & 0o777).toBe(0o711);

      const probes = [
        `echo.test:${echo.port}`, // allowed by name: the hosts file points it at the forwarder
        `127.0.0.1:${echo.port}`, // allowed loopback literal
        `db.test:${protectedService.port}`, // allowed by the installation, but it is Manifold's own port
        `127.0.0.1:${protectedService.port}`, // not in the allow-list: nothing listens there inside
        `echo.test:${echo.port + 1 === protectedService.port ? echo.port + 2 : echo.port + 1}`, // listed host, other port
        'private.test:5432', // listed, resolves to a private address
        '93.184.216.34:80', // any public address: the namespace has no route
        `socket:CONNECT 127.0.0.1:${protectedService.port}`, // straight to the proxy, naming a target it was not given
        `socket:CONNECT 127.0.0.1:${echo.port}`, // straight to the proxy, an allowed target: works (it is the same path)
      ];
      const run = await runSandboxed(session.bwrapArgs, [...session.commandPrefix, process.execPath, '-e', CLIENT, JSON.stringify(probes), '7']);
      expect(run.code, run.stderr).toBe(7); // the forwarder exits with the server's code
      const { results, hosts } = JSON.parse(run.stdout) as { results: Array<{ spec: string; data?: string; error?: string }>; hosts: string };
      const bySpec = Object.fromEntries(results.map((result) => [result.spec, result]));

      expect(hosts).toMatch(/^127\.0\.0\.2 echo\.test$/m);
      expect(bySpec[probes[0]!]).toMatchObject({ data: 'ping\n' });
      expect(bySpec[probes[1]!]).toMatchObject({ data: 'ping\n' });
      expect(bySpec[probes[2]!]!.data).toBe('');
      expect(bySpec[probes[2]!]!.error).toMatch(/ECONNRESET|closed/);
      expect(bySpec[probes[3]!]!.error).toBe('ECONNREFUSED');
      expect(bySpec[probes[4]!]!.error).toBe('ECONNREFUSED');
      expect(bySpec[probes[5]!]!.error).toMatch(/ECONNRESET|closed/);
      expect(bySpec[probes[6]!]!.error).toMatch(/ENETUNREACH|EHOSTUNREACH/);
      expect(bySpec[probes[7]!]!.data).toMatch(/^ERR .*not in this installation's allow-list/);
      expect(bySpec[probes[8]!]!.data).toBe('OK\n');

      // The forwarder told the server's stderr why; the worker got events naming target and reason.
      expect(run.stderr).toMatch(new RegExp(`refused db\\.test:${protectedService.port}: .*Manifold's own services`));
      expect(run.stdout).not.toMatch(/manifold-egress/);
      const refused = events.filter((event) => event.type === 'egress_refused' && event.key === 'installation-a');
      expect(refused.map((event) => event.type === 'egress_refused' && `${event.target} ${event.reason}`)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^db\\.test:${protectedService.port} .*Manifold's own services`)),
          expect.stringMatching(/^private\.test:5432 private\.test resolves to 10\.20\.30\.40, a private address/),
          expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${protectedService.port} .*not in this installation's allow-list`)),
        ]),
      );
      expect(events.some((event) => event.type === 'egress_closed' && event.target === `echo.test:${echo.port}` && event.bytesIn === 5)).toBe(true);
      expect(protectedService.connections).toBe(0);
      expect(echo.connections).toBeGreaterThanOrEqual(2);

      await session.close();
      expect(existsSync(socketFile)).toBe(false);
    } finally {
      await egress.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('works for a sandbox running as another host uid (the socket is 0666 in a 0711 folder)', async () => {
    const egress = gateway();
    try {
      const session = await egress.open('installation-uid', [{ host: 'echo.test', port: echo.port }]);
      const run = await runSandboxed(session.bwrapArgs, [...session.commandPrefix, process.execPath, '-e', CLIENT, JSON.stringify([`echo.test:${echo.port}`])], 54321);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).results).toEqual([{ spec: `echo.test:${echo.port}`, data: 'ping\n' }]);
    } finally {
      await egress.close();
    }
  });

  it('passes the server\'s signal death through and starts nothing when the program is missing', async () => {
    const egress = gateway();
    try {
      const session = await egress.open('installation-signal', [{ host: 'echo.test', port: echo.port }]);
      const killed = await runSandboxed(session.bwrapArgs, [...session.commandPrefix, process.execPath, '-e', 'process.kill(process.pid, "SIGTERM")']);
      expect(killed.code).not.toBe(0);
      const missing = await runSandboxed(session.bwrapArgs, [...session.commandPrefix, '/nonexistent/server']);
      expect(missing.code).toBe(127);
      expect(missing.stderr).toMatch(/manifold-egress: could not start \/nonexistent\/server/);
      expect(missing.stdout).toBe('');
    } finally {
      await egress.close();
    }
  });
});

describe('a session serves only its own allow-list', () => {
  /** Speaks the forwarder's protocol on a session's socket (from the host side) and returns the first line. */
  function ask(socketPath: string, target: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath, () => socket.write(`CONNECT ${target}\n`));
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
        if (data.includes('\n')) {
          socket.destroy();
          resolve(data.split('\n')[0]!);
        }
      });
      socket.on('error', reject);
    });
  }

  it('refuses team B\'s target on team A\'s socket, and bounds what a session may open', async () => {
    const egress = createEgressGateway({
      runtimeDir,
      network: { allowLoopback: true },
      protectedEndpoints: [],
      resolve,
      limits: { connectionsPerSession: 2, handshakeTimeoutMs: 300 },
    });
    try {
      const a = await egress.open('team-a', [{ host: 'echo.test', port: echo.port }]);
      const b = await egress.open('team-b', [{ host: '127.0.0.1', port: echo.port }]);
      const socketA = a.bwrapArgs[1]!;
      const socketB = b.bwrapArgs[1]!;
      expect(socketA).not.toBe(socketB);
      expect(await ask(socketA, `127.0.0.1:${echo.port}`)).toMatch(/^ERR .*not in this installation's allow-list/);
      expect(await ask(socketB, `127.0.0.1:${echo.port}`)).toBe('OK');
      expect(await ask(socketA, 'echo.test:99999')).toMatch(/^ERR port must be 1-65535/);
      expect(await ask(socketA, 'garbage\nCONNECT x')).toMatch(/^ERR /);
      expect(await ask(socketA, `echo.test:${echo.port}`.padEnd(700, 'x'))).toMatch(/^ERR /);
      // A request that never ends its line is cut after the handshake timeout.
      const silent = await new Promise<string>((resolveSilent) => {
        const socket = net.createConnection(socketA, () => socket.write('CONNECT echo.te'));
        socket.once('data', (chunk) => {
          socket.destroy();
          resolveSilent(String(chunk));
        });
      });
      expect(silent).toMatch(/^ERR no target named in time/);

      // Two connections at once for this gateway (each proxied one is two sockets; the limit counts connections).
      const hold = () =>
        new Promise<net.Socket>((resolveHeld, rejectHeld) => {
          const held = net.createConnection(socketA, () => held.write(`CONNECT echo.test:${echo.port}\n`));
          held.once('data', (chunk) => (String(chunk) === 'OK\n' ? resolveHeld(held) : rejectHeld(new Error(String(chunk)))));
        });
      const held = [await hold(), await hold()];
      expect(await ask(socketA, `echo.test:${echo.port}`)).toMatch(/^ERR more than 2 connections at once/);
      for (const socket of held) socket.destroy();
      await waitFor(async () => (await ask(socketA, `echo.test:${echo.port}`)) === 'OK', { timeoutMs: 5000, intervalMs: 20, description: 'a free slot' });
    } finally {
      await egress.close();
    }
  });

  it('cuts a session over its byte budget, and reports a flood of refusals within the event budget', async () => {
    const seen: EgressEvent[] = [];
    const egress = createEgressGateway({
      runtimeDir,
      network: { allowLoopback: true },
      protectedEndpoints: [],
      resolve,
      onEvent: (event) => seen.push(event),
      limits: { bytesPerSession: 64 * 1024, eventsPerMinute: 5 },
    });
    try {
      const session = await egress.open('greedy', [{ host: 'echo.test', port: echo.port }]);
      const socketPath = session.bwrapArgs[1]!;
      const closed = await new Promise<number>((resolveClosed) => {
        let echoed = 0;
        const socket = net.createConnection(socketPath, () => socket.write(`CONNECT echo.test:${echo.port}\n`));
        socket.on('data', (chunk) => {
          echoed += chunk.length;
          if (echoed === 3) socket.write(Buffer.alloc(256 * 1024, 1)); // after "OK\n"
        });
        socket.on('error', () => {});
        socket.on('close', () => resolveClosed(echoed));
      });
      expect(closed).toBeLessThan(256 * 1024);
      expect(seen).toContainEqual(expect.objectContaining({ type: 'egress_refused', key: 'greedy', reason: 'more than 65536 bytes in this session' }));
      for (let i = 0; i < 20; i++) await ask(socketPath, `evil.test:${i + 1}`);
      expect(seen.length).toBe(5);
    } finally {
      await egress.close();
    }
  });

  it('refuses a non-loopback IP literal or a malformed host at open, naming the entry', async () => {
    const egress = createEgressGateway({ runtimeDir, network: {}, protectedEndpoints: [] });
    try {
      await expect(egress.open('x', [{ host: '93.184.216.34', port: 443 }])).rejects.toThrow(/Egress target 0 .*IP address.*DNS name/);
      await expect(egress.open('x', [{ host: 'ok.example', port: 1 }, { host: 'bad\n1.2.3.4 evil', port: 443 }])).rejects.toThrow(
        /Egress target 1 .*not a hostname/,
      );
    } finally {
      await egress.close();
    }
  });
});

describe('a real MCP server (server-everything) in the sandbox, fetching URLs through the gateway', () => {
  it(
    "fetches its allowed host, and fails on Manifold's own port, an unlisted port and the metadata address",
    async () => {
      const served = createServer((_req, res) => res.end('allowed file content'));
      let uiHits = 0;
      const temporalUi = createServer((_req, res) => {
        uiHits++;
        res.end('{"executions":["every-tenant-workflow"]}');
      });
      const listenOn = (server: ReturnType<typeof createServer>) =>
        new Promise<number>((resolvePort) => server.listen(0, '127.0.0.1', () => resolvePort((server.address() as net.AddressInfo).port)));
      const filesPort = await listenOn(served);
      const uiPort = await listenOn(temporalUi);
      dns['files.test'] = ['127.0.0.1'];
      dns['ui.test'] = ['127.0.0.1'];
      const egress = createEgressGateway({
        runtimeDir,
        network: { allowLoopback: true },
        protectedEndpoints: [{ host: '127.0.0.1', port: uiPort }],
        onEvent: (event) => events.push(event),
        resolve,
      });
      const pool = new McpPool({ programDirs: [] });
      try {
        const session = await egress.open('everything-sandboxed', [
          { host: 'files.test', port: filesPort },
          { host: 'ui.test', port: uiPort }, // the tenant listed it: still Manifold's own
        ]);
        const everything = path.join(repoRoot(), 'node_modules/.bin/mcp-server-everything');
        const spec: ConnectionSpec = {
          transport: 'stdio',
          key: 'everything-sandboxed',
          command: [BWRAP, ...SANDBOX_BASE, ...session.bwrapArgs, '--', ...session.commandPrefix, everything, 'stdio'],
        };
        const gzip = (data: string) => pool.callTool(spec, 'gzip-file-as-resource', { data, outputType: 'resource' }, { timeoutMs: 30_000 });

        const allowed = await gzip(`http://files.test:${filesPort}/readme`);
        expect(allowed.isError, JSON.stringify(allowed.content)).toBeFalsy();
        const resource = (allowed.content[0] as { resource: { blob: string } }).resource;
        expect(gunzipSync(Buffer.from(resource.blob, 'base64')).toString()).toBe('allowed file content');

        for (const url of [
          `http://ui.test:${uiPort}/api/v1/namespaces/default/workflows`,
          `http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows`,
          'http://169.254.169.254/latest/meta-data/',
        ]) {
          const refused = await gzip(url);
          expect(refused.isError, `${url}: ${JSON.stringify(refused.content)}`).toBe(true);
          expect(JSON.stringify(refused.content)).not.toContain('every-tenant-workflow');
        }
        expect(uiHits).toBe(0);
        expect(events).toContainEqual(
          expect.objectContaining({ type: 'egress_refused', key: 'everything-sandboxed', target: `ui.test:${uiPort}`, reason: expect.stringMatching(/Manifold's own/) }),
        );
        // The session still answers after the refusals: the forwarder kept stdout clean.
        expect((await pool.callTool(spec, 'echo', { message: 'still here' }, { timeoutMs: 15_000 })).content).toEqual([
          { type: 'text', text: 'Echo: still here' },
        ]);
      } finally {
        await pool.close();
        await egress.close();
        served.close();
        temporalUi.close();
      }
    },
  );
});
