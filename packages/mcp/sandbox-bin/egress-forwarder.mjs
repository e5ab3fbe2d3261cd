// Runs inside a stdio server's sandbox, whose network namespace has only its own loopback: listens on the
// loopback addresses the worker's egress gateway assigned (the sandbox's /etc/hosts maps each allowed host to
// one), carries every accepted connection over the single unix socket to the worker's proxy, which decides,
// then starts the real server (the argv after `--`) with stdio inherited.
// Plain JavaScript and Node built-ins only (it runs before and beside any server). It never writes to stdout:
// that is the MCP channel of the server it starts.
//
// usage: node egress-forwarder.mjs --socket <path> [--listen <addr>:<port>=<host>:<port>]... -- <program> [args...]
import { spawn } from 'node:child_process';
import net from 'node:net';
import { constants } from 'node:os';

const MAX_VERDICT_BYTES = 1024;

function say(message) {
  process.stderr.write(`manifold-egress: ${message}\n`);
}

function usage(message) {
  say(`${message}\nusage: egress-forwarder.mjs --socket <path> [--listen <addr>:<port>=<host>:<port>]... -- <program> [args...]`);
  process.exit(2);
}

/** "127.0.0.2:5432" or "[::1]:5432" → { host, port }. */
function parseHostPort(text) {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2], port };
}

function parseArguments(argv) {
  const listens = [];
  let socketPath;
  let index = 0;
  for (; index < argv.length && argv[index] !== '--'; index++) {
    const flag = argv[index];
    const value = argv[++index];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === '--socket') socketPath = value;
    else if (flag === '--listen') {
      const [local, remote, ...extra] = value.split('=');
      const address = local && parseHostPort(local);
      if (!address || !remote || extra.length || !parseHostPort(remote)) usage(`bad --listen ${value}`);
      listens.push({ address, target: remote });
    } else usage(`unknown option ${flag}`);
  }
  const program = argv.slice(index + 1);
  if (!socketPath) usage('--socket is required');
  if (program.length === 0) usage('the program to start follows --');
  return { socketPath, listens, program };
}

const { socketPath, listens, program } = parseArguments(process.argv.slice(2));

/** One accepted connection: ask the proxy for `target`, then pipe both ways, or reset the client on a refusal. */
function forward(client, target) {
  const upstream = net.createConnection({ path: socketPath, allowHalfOpen: true });
  let answer = Buffer.alloc(0);
  const drop = () => {
    client.resetAndDestroy();
    upstream.destroy();
  };
  client.on('error', () => upstream.destroy());
  upstream.on('error', (error) => {
    say(`${target}: the egress proxy is unreachable (${error.code ?? error.message})`);
    drop();
  });
  upstream.on('connect', () => upstream.write(`CONNECT ${target}\n`));
  const onAnswer = (chunk) => {
    answer = Buffer.concat([answer, chunk]);
    const newline = answer.indexOf(10);
    if (newline < 0) {
      if (answer.length > MAX_VERDICT_BYTES) drop();
      return;
    }
    upstream.off('data', onAnswer);
    upstream.pause();
    const verdict = answer.subarray(0, newline).toString('utf8');
    const rest = answer.subarray(newline + 1);
    if (verdict !== 'OK') {
      say(`refused ${target}: ${verdict.replace(/^ERR /, '')}`);
      drop();
      return;
    }
    if (rest.length > 0) client.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    upstream.resume();
  };
  upstream.on('data', onAnswer);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

function listen({ address, target }) {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => forward(client, target));
    server.once('error', (error) => reject(new Error(`cannot listen on ${address.host}:${address.port} for ${target}: ${error.message}`)));
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => resolve(server));
  });
}

let servers;
try {
  servers = await Promise.all(listens.map(listen));
} catch (error) {
  say(error.message);
  process.exit(2);
}

const child = spawn(program[0], program.slice(1), { stdio: 'inherit' });
child.on('error', (error) => {
  say(`could not start ${program[0]}: ${error.message}`);
  process.exit(127);
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  for (const server of servers) server.close();
  if (signal === null) process.exit(code ?? 1);
  // End the same way the server did; as PID 1 of a namespace the signal would be ignored, hence the fallback.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 100).unref();
});
