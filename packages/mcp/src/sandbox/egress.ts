// The only way out of a sandboxed stdio server's network namespace. Each session (one server process) gets a
// unix socket of its own, on which a proxy in the worker listens, and a hosts file that maps every allowed
// hostname to a loopback address of the sandbox. The forwarder (sandbox-bin/egress-forwarder.mjs) listens on
// those addresses inside the sandbox and asks the proxy for each connection; the proxy allows only the
// session's own targets, resolves them on the worker, applies the SSRF rules (network-policy.ts) and refuses
// Manifold's own endpoints whatever the operator allows. The socket a request arrives on is the session, so a
// server cannot claim another installation's allow-list.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { McpCallError } from '../errors';
import { judgeHost, type NetworkPolicy, type Resolver } from '../network-policy';
import type { EgressTarget } from './policy';

/** Where the session's socket appears inside the sandbox. */
export const SANDBOX_EGRESS_SOCKET = '/run/manifold/egress.sock';
/** The forwarder that runs inside the sandbox (plain JS, Node built-ins only). */
// Resolved when first used, never at module load: the web app bundles this package (for the SSRF guard) and a
// bundler rewrites `new URL(…, import.meta.url)` into an asset reference that fileURLToPath refuses.
let forwarderPath: string | undefined;
export function egressForwarderPath(): string {
  forwarderPath ??= path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sandbox-bin/egress-forwarder.mjs');
  return forwarderPath;
}

/** Targets one installation may name: each hostname takes a loopback address of the sandbox. */
export const MAX_EGRESS_TARGETS = 32;

export interface EgressSession {
  /** Appended after the sandbox's own filesystem setup (needs a writable /run, e.g. `--tmpfs /run`, and /etc). */
  bwrapArgs: string[];
  /** Put before the server's argv: starts the forwarder, which then starts the server. Empty when nothing is allowed. */
  commandPrefix: string[];
  /** Where each target is reachable inside the sandbox (what the hosts file and the forwarder set up). */
  endpoints: Array<{ target: EgressTarget; listen: EgressTarget }>;
  /** Refusals since `since` (ms epoch), newest last, as "host:port: reason": a failed call names why, not ECONNRESET. */
  refusalsSince(since: number): string[];
  close(): Promise<void>;
}

export interface EgressGateway {
  open(key: string, allow: EgressTarget[]): Promise<EgressSession>;
}

/** What the proxy did; never carries payload bytes or secrets (targets are hostnames and ports). */
export type EgressEvent =
  | { type: 'egress_refused'; key: string; target: string; reason: string }
  | { type: 'egress_closed'; key: string; target: string; address: string; bytesOut: number; bytesIn: number };

export interface EgressLimits {
  /** Connections open at once per session; more are refused. */
  connectionsPerSession: number;
  /** Bytes both ways over a session's life; the connection that crosses it is cut. */
  bytesPerSession: number;
  /** Time for the forwarder to name its target. */
  handshakeTimeoutMs: number;
  /** Time to connect to one resolved address. */
  connectTimeoutMs: number;
  /** A connection with no traffic for this long is closed. */
  idleTimeoutMs: number;
  /** Events per session and minute; a server that loops on refused connections must not flood the worker's log. */
  eventsPerMinute: number;
}

export const DEFAULT_EGRESS_LIMITS: EgressLimits = {
  connectionsPerSession: 32,
  bytesPerSession: 1024 * 1024 * 1024,
  handshakeTimeoutMs: 5_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 5 * 60_000,
  eventsPerMinute: 60,
};

export interface EgressGatewayOptions {
  /** A folder only the worker writes (mode 0711 is set): sockets and hosts files live here. */
  runtimeDir: string;
  network: NetworkPolicy;
  /** Manifold's own listeners, refused to every session (added to network.protectedEndpoints). */
  protectedEndpoints: EgressTarget[];
  onEvent?: (event: EgressEvent) => void;
  resolve?: Resolver;
  limits?: Partial<EgressLimits>;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MAX_REQUEST_BYTES = 600;
// Unix socket paths are limited to 108 bytes on Linux, the terminating NUL included.
const MAX_SOCKET_PATH = 107;

/** The canonical form of a target ("Db.Example.COM." → "db.example.com", "[::1]" → "::1"), or a problem to show. */
export function normalizeEgressTarget(target: EgressTarget): EgressTarget | { problem: string } {
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) return { problem: `port must be 1-65535, got ${target.port}` };
  let host = target.host.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (ipaddr.isValid(host)) {
    const address = ipaddr.process(host);
    if (address.range() !== 'loopback')
      return {
        problem:
          `${host} is an IP address: inside the sandbox only names can be redirected to the egress proxy ` +
          '(through its hosts file), so name the host by its DNS name',
      };
    return { host: address.toNormalizedString() === '::1' ? '::1' : address.toString(), port: target.port };
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (!HOSTNAME.test(host)) return { problem: `${JSON.stringify(target.host)} is not a hostname` };
  return { host, port: target.port };
}

function targetKey(target: EgressTarget): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** Normalizes, deduplicates and bounds an allow-list; throws a network_blocked McpCallError naming the bad entry. */
export function normalizeEgressTargets(allow: EgressTarget[]): EgressTarget[] {
  const seen = new Map<string, EgressTarget>();
  allow.forEach((entry, index) => {
    const normalized = normalizeEgressTarget(entry);
    if ('problem' in normalized) throw new McpCallError('network_blocked', `Egress target ${index} (${JSON.stringify(entry.host)}, port ${entry.port}): ${normalized.problem}.`);
    seen.set(targetKey(normalized), normalized);
  });
  if (seen.size > MAX_EGRESS_TARGETS) throw new McpCallError('network_blocked', `At most ${MAX_EGRESS_TARGETS} egress targets, got ${seen.size}.`);
  return [...seen.values()];
}

/**
 * Where each target listens inside the sandbox, and the hosts file that points names there: loopback literals
 * listen on themselves; every hostname gets 127.0.0.N of its own (N = 2, 3, … skipping literals in use), so
 * two hosts on the same port never collide.
 */
export function planEgress(allow: EgressTarget[]): { endpoints: EgressSession['endpoints']; hostsFile: string } {
  const targets = normalizeEgressTargets(allow);
  const literals = new Set(targets.filter((target) => ipaddr.isValid(target.host)).map((target) => target.host));
  const addressOfName = new Map<string, string>();
  let next = 2;
  const endpoints = targets.map((target) => {
    if (literals.has(target.host)) return { target, listen: target };
    let address = addressOfName.get(target.host);
    if (!address) {
      while (literals.has(`127.0.0.${next}`)) next++;
      address = `127.0.0.${next++}`;
      addressOfName.set(target.host, address);
    }
    return { target, listen: { host: address, port: target.port } };
  });
  const lines = ['# Written by Manifold: each allowed host is a loopback address whose listener forwards to the egress proxy.'];
  if (!addressOfName.has('localhost')) lines.push('127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback');
  for (const [name, address] of addressOfName) lines.push(`${address} ${name}`);
  return { endpoints, hostsFile: `${lines.join('\n')}\n` };
}

/** A small heap for the forwarder: it only copies bytes, and it counts against the sandbox's memory limit. */
export const FORWARDER_NODE_FLAGS = ['--max-old-space-size=32', '--max-semi-space-size=1'];

/** The forwarder's argv up to and including `--` (the server's argv follows). */
export function forwarderCommand(endpoints: EgressSession['endpoints']): string[] {
  const listens = endpoints.flatMap(({ target, listen }) => ['--listen', `${targetKey(listen)}=${targetKey(target)}`]);
  return [process.execPath, ...FORWARDER_NODE_FLAGS, egressForwarderPath(), '--socket', SANDBOX_EGRESS_SOCKET, ...listens, '--'];
}

/** Why the proxy refuses `requested` for a session allowed `allow`, or the addresses to connect to (checked once). */
export async function judgeEgress(
  requested: string,
  allow: EgressTarget[],
  policy: NetworkPolicy,
  resolve?: Resolver,
): Promise<{ allowed: true; target: EgressTarget; addresses: string[] } | { allowed: false; reason: string }> {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(requested);
  if (!match) return { allowed: false, reason: 'malformed request' };
  const normalized = normalizeEgressTarget({ host: match[1] ?? match[2]!, port: Number(match[3]) });
  if ('problem' in normalized) return { allowed: false, reason: normalized.problem };
  const key = targetKey(normalized);
  if (!allow.some((target) => targetKey(target) === key)) return { allowed: false, reason: `${key} is not in this installation's allow-list` };
  try {
    const verdict = await judgeHost(normalized.host, normalized.port, policy, resolve);
    return verdict.allowed ? { allowed: true, target: normalized, addresses: verdict.addresses } : { allowed: false, reason: verdict.reason };
  } catch (error) {
    return { allowed: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function connectFirst(addresses: string[], port: number, timeoutMs: number): Promise<{ socket: net.Socket; address: string }> {
  return new Promise((resolve, reject) => {
    let index = 0;
    let lastError = 'no address';
    const attempt = () => {
      const address = addresses[index++];
      if (address === undefined) {
        reject(new Error(`could not connect: ${lastError}`));
        return;
      }
      const socket = net.createConnection({ host: address, port, allowHalfOpen: true, timeout: timeoutMs });
      const fail = (why: string) => {
        lastError = why;
        socket.destroy();
        attempt();
      };
      socket.once('timeout', () => fail(`${address} did not answer in ${timeoutMs} ms`));
      socket.once('error', (error: NodeJS.ErrnoException) => fail(`${address}: ${error.code ?? error.message}`));
      socket.once('connect', () => {
        socket.removeAllListeners('timeout');
        socket.removeAllListeners('error');
        socket.setTimeout(0);
        resolve({ socket, address });
      });
    };
    attempt();
  });
}

interface Session {
  key: string;
  allow: EgressTarget[];
  server: net.Server;
  /** Every socket of the session (both sides), closed with it. */
  sockets: Set<net.Socket>;
  /** Connections from the sandbox, the ones the limit counts. */
  connections: number;
  bytes: number;
  /** The event budget's current minute, the events emitted in it and those left out. */
  eventWindow: { startedAt: number; emitted: number; suppressed: number };
  files: string[];
  /** The last few refusals, for the call that failed because of one. */
  refusals: Array<{ at: number; text: string }>;
}

const KEPT_REFUSALS = 10;

export function createEgressGateway(options: EgressGatewayOptions): EgressGateway & { close(): Promise<void> } {
  const limits = { ...DEFAULT_EGRESS_LIMITS, ...options.limits };
  const policy: NetworkPolicy = {
    ...options.network,
    protectedEndpoints: [...(options.network.protectedEndpoints ?? []), ...options.protectedEndpoints],
  };
  const sessions = new Set<Session>();
  let prepared: Promise<void> | undefined;
  const deliver = (event: EgressEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // a failing listener must not break a connection
    }
  };
  /** Delivers within the session's budget; the first event of a new minute says how many were left out. */
  const emitFor = (session: Session, event: EgressEvent) => {
    const window = session.eventWindow;
    const now = Date.now();
    if (now - window.startedAt >= 60_000) {
      if (window.suppressed > 0)
        deliver({ type: 'egress_refused', key: session.key, target: '(several)', reason: `${window.suppressed} more events in the last minute were not reported` });
      session.eventWindow = { startedAt: now, emitted: 0, suppressed: 0 };
    }
    if (session.eventWindow.emitted >= limits.eventsPerMinute) {
      session.eventWindow.suppressed++;
      return;
    }
    session.eventWindow.emitted++;
    deliver(event);
  };

  // 0711: the worker alone lists and creates entries; a session's socket is 0666 so the sandbox's uid (whatever
  // its user namespace maps it to) can connect, and its 128-bit random name is known only to the bind mount.
  const prepare = () =>
    (prepared ??= (async () => {
      await mkdir(options.runtimeDir, { recursive: true, mode: 0o711 });
      await chmod(options.runtimeDir, 0o711);
    })());

  async function closeSession(session: Session): Promise<void> {
    if (!sessions.delete(session)) return;
    for (const socket of session.sockets) socket.destroy();
    await new Promise<void>((resolve) => session.server.close(() => resolve()));
    await Promise.all(session.files.map((file) => rm(file, { force: true })));
  }

  function handle(session: Session, downstream: net.Socket) {
    session.sockets.add(downstream);
    downstream.on('error', () => downstream.destroy());
    let request = Buffer.alloc(0);
    let target = '';
    const refuse = (reason: string) => {
      emitFor(session, { type: 'egress_refused', key: session.key, target: target || '(unnamed)', reason });
      session.refusals.push({ at: Date.now(), text: `${target || '(unnamed)'}: ${reason}` });
      if (session.refusals.length > KEPT_REFUSALS) session.refusals.shift();
      if (!downstream.destroyed) downstream.end(`ERR ${reason.replace(/[\r\n]+/g, ' ')}\n`);
      downstream.resume(); // drain, so the forwarder's close ends it at once
      setTimeout(() => downstream.destroy(), 1000).unref();
    };
    // A refused connection does not hold a slot: otherwise retries would starve the session.
    const isOverLimit = session.connections >= limits.connectionsPerSession;
    if (!isOverLimit) session.connections++;
    downstream.on('close', () => {
      session.sockets.delete(downstream);
      if (!isOverLimit) session.connections--;
    });
    if (isOverLimit) {
      refuse(`more than ${limits.connectionsPerSession} connections at once`);
      return;
    }
    const handshake = setTimeout(() => {
      downstream.off('data', onRequest);
      refuse('no target named in time');
    }, limits.handshakeTimeoutMs);
    const onRequest = (chunk: Buffer) => {
      request = Buffer.concat([request, chunk]);
      const newline = request.indexOf(10);
      if (newline < 0) {
        if (request.length > MAX_REQUEST_BYTES) {
          downstream.off('data', onRequest);
          clearTimeout(handshake);
          refuse('request too long');
        }
        return;
      }
      downstream.off('data', onRequest);
      downstream.pause();
      clearTimeout(handshake);
      const line = request.subarray(0, newline).toString('utf8');
      const early = request.subarray(newline + 1);
      const parsed = /^CONNECT (\S{1,300})$/.exec(line);
      if (!parsed) {
        refuse('malformed request');
        return;
      }
      target = parsed[1]!;
      void connect(early);
    };
    const connect = async (early: Buffer) => {
      const verdict = await judgeEgress(target, session.allow, policy, options.resolve);
      if (!verdict.allowed) return refuse(verdict.reason);
      if (downstream.destroyed || !sessions.has(session)) return;
      let upstream: { socket: net.Socket; address: string };
      try {
        upstream = await connectFirst(verdict.addresses, verdict.target.port, limits.connectTimeoutMs);
      } catch (error) {
        return refuse(error instanceof Error ? error.message : String(error));
      }
      const remote = upstream.socket;
      if (downstream.destroyed || !sessions.has(session)) {
        remote.destroy();
        return;
      }
      session.sockets.add(remote);
      let bytesOut = 0;
      let bytesIn = 0;
      const count = (bytes: number) => {
        session.bytes += bytes;
        if (session.bytes > limits.bytesPerSession) {
          emitFor(session, { type: 'egress_refused', key: session.key, target, reason: `more than ${limits.bytesPerSession} bytes in this session` });
          downstream.destroy();
          remote.destroy();
        }
      };
      downstream.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length;
        count(chunk.length);
      });
      remote.on('data', (chunk: Buffer) => {
        bytesIn += chunk.length;
        count(chunk.length);
      });
      for (const socket of [downstream, remote]) {
        socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
      }
      remote.on('error', () => remote.destroy());
      remote.on('close', () => {
        session.sockets.delete(remote);
        downstream.destroy();
        emitFor(session, { type: 'egress_closed', key: session.key, target, address: upstream.address, bytesOut, bytesIn });
      });
      downstream.on('close', () => remote.destroy());
      downstream.write('OK\n');
      if (early.length > 0) {
        bytesOut += early.length;
        count(early.length);
        remote.write(early);
      }
      downstream.pipe(remote);
      remote.pipe(downstream);
      downstream.resume();
    };
    downstream.on('data', onRequest);
  }

  return {
    async open(key, allow) {
      const { endpoints, hostsFile } = planEgress(allow);
      if (endpoints.length === 0) return { bwrapArgs: [], commandPrefix: [], endpoints, refusalsSince: () => [], close: async () => {} };
      await prepare();
      const id = randomBytes(16).toString('hex');
      const socketPath = `${options.runtimeDir}/${id}.sock`;
      const hostsPath = `${options.runtimeDir}/${id}.hosts`;
      if (socketPath.length > MAX_SOCKET_PATH)
        throw new McpCallError('transport_error', `The egress runtime folder ${options.runtimeDir} is too long for a unix socket path; choose a shorter one.`);
      await writeFile(hostsPath, hostsFile, { mode: 0o644 });
      const session: Session = {
        key,
        allow: endpoints.map((endpoint) => endpoint.target),
        server: net.createServer({ allowHalfOpen: true }, (socket) => handle(session, socket)),
        sockets: new Set(),
        connections: 0,
        bytes: 0,
        eventWindow: { startedAt: Date.now(), emitted: 0, suppressed: 0 },
        files: [socketPath, hostsPath],
        refusals: [],
      };
      try {
        await new Promise<void>((resolve, reject) => {
          session.server.once('error', reject);
          session.server.listen(socketPath, () => resolve());
        });
        await chmod(socketPath, 0o666);
      } catch (error) {
        session.server.close();
        await Promise.all(session.files.map((file) => rm(file, { force: true })));
        throw new McpCallError('transport_error', `Could not open the egress proxy for ${key}: ${error instanceof Error ? error.message : String(error)}`);
      }
      sessions.add(session);
      return {
        bwrapArgs: [
          '--ro-bind',
          socketPath,
          SANDBOX_EGRESS_SOCKET,
          '--ro-bind',
          hostsPath,
          '/etc/hosts',
          '--ro-bind',
          egressForwarderPath(),
          egressForwarderPath(),
        ],
        commandPrefix: forwarderCommand(endpoints),
        endpoints,
        refusalsSince: (since) => session.refusals.filter((refusal) => refusal.at >= since).map((refusal) => refusal.text),
        close: () => closeSession(session),
      };
    },
    async close() {
      await Promise.all([...sessions].map(closeSession));
    },
  };
}

/** Manifold's own listeners, from the settings the worker already reads: refused to every server, always. */
export function protectedEndpointsFromSettings(settings: {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_UI_PORT?: number | undefined;
  TEMPORAL_HTTP_PORT?: number | undefined;
  TEMPORAL_METRICS_PORT?: number | undefined;
  WORKER_HEALTH_PORT?: number | undefined;
  PORT?: number | undefined;
  APP_URL?: string | undefined;
  AUTH_URL?: string | undefined;
  NEXTAUTH_URL?: string | undefined;
}): EgressTarget[] {
  const endpoints: EgressTarget[] = [];
  const add = (host: string, port: number | undefined) => {
    if (port !== undefined && Number.isInteger(port) && port > 0 && port <= 65535) endpoints.push({ host: host || 'localhost', port });
  };
  const defaultPorts: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'http:': 80, 'https:': 443 };
  const fromUrl = (text: string | undefined) => {
    if (!text) return;
    try {
      const url = new URL(text);
      const defaultPort = defaultPorts[url.protocol] ?? 443;
      // A libpq URL may name a unix socket folder (?host=/run/postgresql) or several hosts; keep what TCP can reach.
      for (const host of decodeURIComponent(url.hostname).split(',')) add(host.replace(/^\[|\]$/g, '') || 'localhost', url.port ? Number(url.port) : defaultPort);
    } catch {
      // not a URL: nothing to protect beyond the defaults the other settings give
    }
  };
  fromUrl(settings.DATABASE_URL);
  const temporal = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(settings.TEMPORAL_ADDRESS.trim());
  if (temporal) {
    const host = temporal[1] ?? temporal[2]!;
    add(host, temporal[3] ? Number(temporal[3]) : 7233);
    add(host, settings.TEMPORAL_UI_PORT);
    add(host, settings.TEMPORAL_HTTP_PORT);
    add(host, settings.TEMPORAL_METRICS_PORT);
  }
  add('localhost', settings.WORKER_HEALTH_PORT);
  add('localhost', settings.PORT);
  for (const url of [settings.APP_URL, settings.AUTH_URL, settings.NEXTAUTH_URL]) fromUrl(url);
  const unique = new Map(endpoints.map((endpoint) => [`${endpoint.host.toLowerCase()}:${endpoint.port}`, endpoint]));
  return [...unique.values()];
}
