// The SSRF guard for remote servers: which URLs the worker may connect to. A host is resolved and every
// address it resolves to must be public unicast unless the operator allowlisted it; redirects are checked
// hop by hop by guardedFetch. Only https in production (http only to an allowlisted loopback address).
// Manifold's own services (protectedEndpoints) are refused whatever the operator allows: the same rules
// guard the HTTP transport and the egress proxy of sandboxed stdio servers (sandbox/egress.ts).
import { lookup as dnsLookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { McpCallError } from './errors';
import type { EgressTarget } from './sandbox/policy';

export interface NetworkPolicy {
  /** Hostnames (exact, case-insensitive), IP addresses or CIDR ranges the operator allows although private. */
  allowedHosts?: string[];
  /** Allow 127.0.0.0/8 and ::1 (tests and development; never implied). */
  allowLoopback?: boolean;
  /** Production mode: only https, except to an allowlisted loopback address. */
  requireHttps?: boolean;
  /**
   * Manifold's own listeners (database, Temporal gRPC and UI, web app, worker health): never reachable, not even
   * with allowLoopback or an allowedHosts entry. A loopback, unspecified or local-interface host stands for every
   * address of this machine on that port (a service bound to 0.0.0.0 answers on all of them).
   */
  protectedEndpoints?: EgressTarget[];
}

/** The policy from the operator's settings, read the same way by the web app and the worker. */
export function networkPolicyFromSettings(settings: {
  MANIFOLD_ALLOWED_HOSTS: string;
  MANIFOLD_ALLOW_LOOPBACK: string;
  NODE_ENV: string;
}): NetworkPolicy {
  return {
    allowedHosts: settings.MANIFOLD_ALLOWED_HOSTS.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    allowLoopback: settings.MANIFOLD_ALLOW_LOOPBACK === 'true',
    requireHttps: settings.NODE_ENV === 'production',
  };
}

export type Resolver = (hostname: string) => Promise<string[]>;

const MAX_REDIRECTS = 5;

const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** The reserved range an address belongs to (e.g. "loopback", "private", "linkLocal"), or null when it is public unicast. */
export function reservedRangeOf(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 is 127.0.0.1: judge the embedded IPv4 address.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function isAllowlistedAddress(address: string, policy: NetworkPolicy): boolean {
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 → IPv4, so allowlists match either form
  for (const entry of policy.allowedHosts ?? []) {
    try {
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        if (range.kind() === parsed.kind() && parsed.match([range, bits] as never)) return true;
      } else if (ipaddr.isValid(entry) && ipaddr.process(entry).toNormalizedString() === parsed.toNormalizedString()) return true;
    } catch {
      // not an address entry: a hostname, matched elsewhere
    }
  }
  return policy.allowLoopback === true && parsed.range() === 'loopback';
}

/** A host the policy refuses: the reason names the address and range (never a secret), and whether a setting could allow it. */
export interface HostRefusal {
  allowed: false;
  reason: string;
  /** False for Manifold's own endpoints: no setting allows them. */
  operatorCanAllow: boolean;
}
export type HostVerdict = { allowed: true; addresses: string[] } | HostRefusal;

/** This machine's own addresses: a service bound to 0.0.0.0 or :: answers on every one of them. */
function isLocalAddress(address: string): boolean {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'loopback' || range === 'unspecified') return true;
  const normalized = parsed.toNormalizedString();
  return Object.values(networkInterfaces()).some((entries) =>
    (entries ?? []).some((entry) => ipaddr.isValid(entry.address) && ipaddr.process(entry.address).toNormalizedString() === normalized),
  );
}

const LOCAL_NAMES = new Set(['localhost', 'localhost.', 'ip6-localhost']);

/** Whether any of `addresses` on `port` is one of Manifold's own endpoints. */
async function hitsProtectedEndpoint(host: string, addresses: string[], port: number, policy: NetworkPolicy, resolve: Resolver): Promise<boolean> {
  const endpoints = (policy.protectedEndpoints ?? []).filter((endpoint) => endpoint.port === port);
  if (endpoints.length === 0) return false;
  const targets = addresses.map((address) => ipaddr.process(address).toNormalizedString());
  const targetIsLocal = addresses.some(isLocalAddress);
  for (const endpoint of endpoints) {
    const endpointHost = stripBrackets(endpoint.host).toLowerCase();
    if (endpointHost === host) return true;
    const endpointAddresses = ipaddr.isValid(endpointHost)
      ? [endpointHost]
      : LOCAL_NAMES.has(endpointHost)
        ? ['127.0.0.1']
        : await resolve(endpointHost).catch(() => [] as string[]);
    for (const address of endpointAddresses) {
      if (!ipaddr.isValid(address)) continue;
      if (isLocalAddress(address) ? targetIsLocal : targets.includes(ipaddr.process(address).toNormalizedString())) return true;
    }
  }
  return false;
}

/**
 * Whether the policy lets the worker connect to host:port: resolves a name (the caller then connects to the
 * returned addresses, never resolves again, so a rebinding DNS answer cannot slip in between). Resolution
 * failures throw a transport_error McpCallError.
 */
export async function judgeHost(hostname: string, port: number, policy: NetworkPolicy, resolve: Resolver = systemResolver): Promise<HostVerdict> {
  const host = stripBrackets(hostname).toLowerCase();
  const isNamedAllowed = (policy.allowedHosts ?? []).some((entry) => entry.toLowerCase() === host);
  const addresses = ipaddr.isValid(host)
    ? [host]
    : await resolve(host).catch((error: unknown) => {
        throw new McpCallError('transport_error', `Could not resolve ${host}: ${error instanceof Error ? error.message : String(error)}`);
      });
  if (addresses.length === 0) throw new McpCallError('transport_error', `Could not resolve ${host}: no addresses.`);
  for (const address of addresses) {
    const range = reservedRangeOf(address);
    if (range === 'invalid') return { allowed: false, reason: `${host} resolves to ${address}, not an IP address`, operatorCanAllow: false };
    if (range !== null && !isNamedAllowed && !isAllowlistedAddress(address, policy))
      return { allowed: false, reason: `${host} resolves to ${address}, a ${range} address`, operatorCanAllow: true };
  }
  if (await hitsProtectedEndpoint(host, addresses, port, policy, resolve))
    return {
      allowed: false,
      reason: `port ${port} of ${host} is one of Manifold's own services (its database, Temporal, web app or worker), which no setting allows`,
      operatorCanAllow: false,
    };
  return { allowed: true, addresses };
}

function blocked(url: URL, refusal: Pick<HostRefusal, 'reason' | 'operatorCanAllow'>): McpCallError {
  const hint = refusal.operatorCanAllow
    ? ' An operator can allow it with MANIFOLD_ALLOWED_HOSTS (or MANIFOLD_ALLOW_LOOPBACK=true for loopback).'
    : '';
  return new McpCallError('network_blocked', `Refusing to connect to ${url.protocol}//${url.host}: ${refusal.reason}.${hint}`);
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Throws a network_blocked McpCallError unless the policy lets the worker connect to `url`. */
export async function assertUrlAllowed(url: URL, policy: NetworkPolicy, resolve: Resolver = systemResolver): Promise<void> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw blocked(url, { reason: `the scheme ${url.protocol} is not http(s)`, operatorCanAllow: true });
  if (url.username || url.password)
    throw blocked(url, { reason: 'credentials in the URL are not allowed (use a header secret)', operatorCanAllow: false });
  // The WHATWG URL parser already turned decimal, hex and octal IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1) into dotted quads.
  const verdict = await judgeHost(url.hostname, defaultPort(url), policy, resolve);
  if (!verdict.allowed) throw blocked(url, verdict);
  const host = stripBrackets(url.hostname).toLowerCase();
  const isNamedAllowed = (policy.allowedHosts ?? []).some((entry) => entry.toLowerCase() === host);
  const allLoopbackAllowed = verdict.addresses.every(
    (address) => reservedRangeOf(address) === 'loopback' && (isNamedAllowed || isAllowlistedAddress(address, policy)),
  );
  if (policy.requireHttps && url.protocol === 'http:' && !allLoopbackAllowed)
    throw blocked(url, { reason: 'only https is allowed in production (http only to an allowlisted loopback address)', operatorCanAllow: false });
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_SAFE_HEADERS = new Set([
  'accept',
  'content-type',
  'mcp-protocol-version',
  'mcp-session-id',
  'last-event-id',
  'user-agent',
]);

/**
 * A fetch for the Streamable HTTP transport that checks every request against the policy and follows
 * redirects itself so each hop is checked too.
 */
export function guardedFetch(policy: NetworkPolicy, resolve: Resolver = systemResolver): typeof fetch {
  return async (input, init) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    let body = init?.body;
    // Spreading a Headers object drops its entries (content-type → the server answers 400): copy through the constructor.
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (let hop = 0; ; hop++) {
      await assertUrlAllowed(url, policy, resolve);
      const response = await fetch(url, { ...init, method, headers, body: body ?? null, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || !location) return response;
      if (hop >= MAX_REDIRECTS) throw new McpCallError('transport_error', `Too many redirects from ${url.origin}.`);
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        // Never carry credentials (Authorization, API-key headers, cookies) to another origin.
        for (const name of [...headers.keys()]) if (!CROSS_ORIGIN_SAFE_HEADERS.has(name)) headers.delete(name);
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      url = next;
    }
  };
}
