// `npm run bench:egress -w @manifold/worker`: what the egress gateway costs a sandboxed stdio server. Starts
// a real bubblewrap sandbox with and without the forwarder in front of the program, and a TCP echo server on
// the host; compares connections and round trips made directly on the host with the same ones from inside
// the sandbox through forwarder → unix socket → proxy. Prints tables; asserts nothing. Needs /usr/bin/bwrap.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEgressGateway } from '@manifold/mcp';
import { ms, percentile, printTable } from './stats';

const STARTS = Number(process.env.BENCH_EGRESS_STARTS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_EGRESS_CONNECTIONS ?? 200);
const ROUND_TRIPS = Number(process.env.BENCH_EGRESS_ROUND_TRIPS ?? 1000);
const BULK_MIB = Number(process.env.BENCH_EGRESS_BULK_MIB ?? 64);

const BASE = ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/run', '--tmpfs', '/tmp'];

// Runs where it is started: sequential connections (connect + one echo), round trips on one connection, a
// bulk transfer, and the RSS of its parent (the forwarder, inside the sandbox). Prints JSON.
const CLIENT = `
const net = require('node:net');
const fs = require('node:fs');
const [host, port, connections, roundTrips, bulkMiB] = JSON.parse(process.argv[1]);
const connect = () => new Promise((resolve, reject) => { const s = net.createConnection({ host, port }, () => resolve(s)); s.once('error', reject); });
const echo = (socket, payload) => new Promise((resolve) => {
  let got = 0;
  const onData = (chunk) => { got += chunk.length; if (got >= payload.length) { socket.off('data', onData); resolve(); } };
  socket.on('data', onData);
  socket.write(payload);
});
(async () => {
  const perConnection = [];
  for (let i = 0; i < connections; i++) {
    const started = performance.now();
    const socket = await connect();
    await echo(socket, Buffer.from('ping'));
    perConnection.push(performance.now() - started);
    socket.destroy();
  }
  const socket = await connect();
  const perRoundTrip = [];
  for (let i = 0; i < roundTrips; i++) {
    const started = performance.now();
    await echo(socket, Buffer.from('ping'));
    perRoundTrip.push(performance.now() - started);
  }
  const bulk = Buffer.alloc(bulkMiB * 1024 * 1024, 7);
  const bulkStarted = performance.now();
  await echo(socket, bulk);
  const bulkMs = performance.now() - bulkStarted;
  socket.destroy();
  let parentRssKiB = null;
  try { parentRssKiB = Number(/VmRSS:\\s+(\\d+)/.exec(fs.readFileSync('/proc/' + process.ppid + '/status', 'utf8'))[1]); } catch {}
  process.stdout.write(JSON.stringify({ perConnection, perRoundTrip, bulkMs, parentRssKiB }));
})();
`;

interface ClientResult {
  perConnection: number[];
  perRoundTrip: number[];
  bulkMs: number;
  parentRssKiB: number | null;
}

function run(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { maxBuffer: 64 * 1024 * 1024, env: { PATH: '/usr/bin:/bin' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

async function timedStarts(command: () => Promise<unknown>): Promise<number[]> {
  await command(); // warm the page cache
  const samples: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    await command();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main() {
  const echoServer = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', () => resolve()));
  const port = (echoServer.address() as net.AddressInfo).port;
  const runtimeDir = mkdtempSync(path.join(tmpdir(), 'bench-egress-'));
  const egress = createEgressGateway({
    runtimeDir,
    network: { allowLoopback: true },
    protectedEndpoints: [],
    resolve: async () => ['127.0.0.1'],
  });
  try {
    const opens: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const session = await egress.open(`bench-open-${i}`, [{ host: 'echo.bench', port }]);
      opens.push(performance.now() - started);
      await session.close();
    }
    const session = await egress.open('bench', [{ host: 'echo.bench', port }]);
    const noop = [process.execPath, '-e', '0'];
    const plain = await timedStarts(() => run('/usr/bin/bwrap', [...BASE, '--', ...noop]));
    const forwarded = await timedStarts(() => run('/usr/bin/bwrap', [...BASE, ...session.bwrapArgs, '--', ...session.commandPrefix, ...noop]));
    printTable(
      `Egress: sandbox start (bwrap + node -e 0), ${STARTS} starts each`,
      ['', 'p50', 'p99'],
      [
        ['sandbox, no network', ms(percentile(plain, 50)), ms(percentile(plain, 99))],
        ['sandbox + egress forwarder (1 target)', ms(percentile(forwarded, 50)), ms(percentile(forwarded, 99))],
        ['gateway open + close (socket, hosts file)', ms(percentile(opens, 50)), ms(percentile(opens, 99))],
      ],
    );

    const work = (host: string) => JSON.stringify([host, port, CONNECTIONS, ROUND_TRIPS, BULK_MIB]);
    const direct = JSON.parse(await run(process.execPath, ['-e', CLIENT, work('127.0.0.1')])) as ClientResult;
    const sandboxed = JSON.parse(
      await run('/usr/bin/bwrap', [...BASE, ...session.bwrapArgs, '--', ...session.commandPrefix, process.execPath, '-e', CLIENT, work('echo.bench')]),
    ) as ClientResult;
    const mibPerSecond = (result: ClientResult) => `${((2 * BULK_MIB) / (result.bulkMs / 1000)).toFixed(0)} MiB/s`;
    printTable(
      `Egress: TCP to an echo server on the host (${CONNECTIONS} connections, ${ROUND_TRIPS} round trips, ${BULK_MIB} MiB echoed)`,
      ['', 'connect + 1st echo p50', 'p99', 'warm round trip p50', 'p99', 'bulk (both ways)'],
      [
        [
          'direct, on the host',
          ms(percentile(direct.perConnection, 50)),
          ms(percentile(direct.perConnection, 99)),
          ms(percentile(direct.perRoundTrip, 50)),
          ms(percentile(direct.perRoundTrip, 99)),
          mibPerSecond(direct),
        ],
        [
          'sandbox → forwarder → proxy',
          ms(percentile(sandboxed.perConnection, 50)),
          ms(percentile(sandboxed.perConnection, 99)),
          ms(percentile(sandboxed.perRoundTrip, 50)),
          ms(percentile(sandboxed.perRoundTrip, 99)),
          mibPerSecond(sandboxed),
        ],
      ],
    );
    console.log(`\nForwarder RSS inside the sandbox (after the run): ${sandboxed.parentRssKiB === null ? 'n/a' : `${(sandboxed.parentRssKiB / 1024).toFixed(1)} MiB`}`);
    await session.close();
  } finally {
    await egress.close();
    echoServer.close();
    rmSync(runtimeDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
