// The SSRF guard table: which URLs the worker refuses, and what the operator's allowlist changes.
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { McpCallError } from './errors';
import { assertUrlAllowed, reservedRangeOf, type NetworkPolicy, type Resolver } from './network-policy';

// Names resolve through this table (the resolver is the DNS boundary); IP literals never reach it.
const dns: Record<string, string[]> = {
  'public.example': ['93.184.216.34'],
  'rebind.example': ['93.184.216.34', '10.0.0.5'],
  'metadata.example': ['169.254.169.254'],
  'v6-public.example': ['2606:2800:220:1:248:1893:25c8:1946'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'internal.corp': ['10.1.2.3'],
};
const resolve: Resolver = async (host) => {
  const found = dns[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

async function verdict(url: string, policy: NetworkPolicy = {}): Promise<string> {
  try {
    await assertUrlAllowed(new URL(url), policy, resolve);
    return 'allowed';
  } catch (error) {
    expect(error).toBeInstanceOf(McpCallError);
    return (error as McpCallError).errorClass === 'network_blocked' ? 'blocked' : (error as McpCallError).errorClass;
  }
}

describe('assertUrlAllowed (default policy: public addresses only)', () => {
  it.each([
    ['https://public.example/mcp', 'allowed'],
    ['https://v6-public.example/mcp', 'allowed'],
    ['https://93.184.216.34/mcp', 'allowed'],
    ['http://127.0.0.1:3001/mcp', 'blocked'],
    ['http://127.1.2.3/', 'blocked'],
    ['http://localhost.:80/', 'transport_error'], // not in the table: resolution fails, nothing is contacted
    ['http://0.0.0.0/', 'blocked'],
    ['http://10.0.0.1/', 'blocked'],
    ['http://172.16.5.4/', 'blocked'],
    ['http://172.31.255.255/', 'blocked'],
    ['http://192.168.1.1/', 'blocked'],
    ['http://100.64.0.1/', 'blocked'], // CGNAT
    ['http://169.254.169.254/latest/meta-data/', 'blocked'], // cloud metadata
    ['http://224.0.0.1/', 'blocked'], // multicast
    ['http://255.255.255.255/', 'blocked'],
    ['http://2130706433/', 'blocked'], // decimal 127.0.0.1
    ['http://0x7f000001/', 'blocked'], // hex
    ['http://0x7f.1/', 'blocked'], // short hex
    ['http://0177.0.0.1/', 'blocked'], // octal
    ['http://017700000001/', 'blocked'], // octal, one number
    ['http://0xA9.0xFE.0xA9.0xFE/', 'blocked'], // hex metadata
    ['http://[::1]/', 'blocked'],
    ['http://[::]/', 'blocked'],
    ['http://[::ffff:127.0.0.1]/', 'blocked'], // IPv4-mapped loopback
    ['http://[::ffff:a9fe:a9fe]/', 'blocked'], // IPv4-mapped metadata
    ['http://[fd00:ec2::254]/', 'blocked'], // AWS IPv6 metadata
    ['http://[fc00::1]/', 'blocked'], // unique local
    ['http://[fe80::1]/', 'blocked'], // link-local
    ['http://[ff02::1]/', 'blocked'], // multicast
    ['http://[64:ff9b::7f00:1]/', 'blocked'], // NAT64 of 127.0.0.1
    ['http://[2002:7f00:1::]/', 'blocked'], // 6to4 of 127.0.0.1
    ['https://metadata.example/', 'blocked'], // a name that resolves to the metadata address
    ['https://mapped.example/', 'blocked'],
    ['https://rebind.example/', 'blocked'], // one private answer among public ones is enough
    ['https://internal.corp/', 'blocked'],
    ['ftp://public.example/', 'blocked'],
    ['file:///etc/passwd', 'blocked'],
    ['https://user:pw@public.example/', 'blocked'],
  ])('%s → %s', async (url, expected) => {
    expect(await verdict(url)).toBe(expected);
  });
});

describe('assertUrlAllowed with an operator allowlist', () => {
  it('allows loopback only when MANIFOLD_ALLOW_LOOPBACK is on, and nothing else private with it', async () => {
    const policy = { allowLoopback: true };
    expect(await verdict('http://127.0.0.1:3001/mcp', policy)).toBe('allowed');
    expect(await verdict('http://[::1]:3001/mcp', policy)).toBe('allowed');
    expect(await verdict('http://[::ffff:127.0.0.1]/', policy)).toBe('allowed');
    expect(await verdict('http://10.0.0.1/', policy)).toBe('blocked');
    expect(await verdict('http://169.254.169.254/', policy)).toBe('blocked');
  });

  it('allows listed hosts by name, address or CIDR range', async () => {
    expect(await verdict('https://internal.corp/', { allowedHosts: ['INTERNAL.corp'] })).toBe('allowed');
    expect(await verdict('https://internal.corp/', { allowedHosts: ['10.1.2.3'] })).toBe('allowed');
    expect(await verdict('https://internal.corp/', { allowedHosts: ['10.0.0.0/8'] })).toBe('allowed');
    expect(await verdict('https://internal.corp/', { allowedHosts: ['192.168.0.0/16'] })).toBe('blocked');
    expect(await verdict('http://[fd12::1]/', { allowedHosts: ['fd12::/16'] })).toBe('allowed');
  });

  it('requires https in production, except to an allowlisted loopback address', async () => {
    const production = { requireHttps: true, allowLoopback: true, allowedHosts: ['internal.corp'] };
    expect(await verdict('http://public.example/', production)).toBe('blocked');
    expect(await verdict('https://public.example/', production)).toBe('allowed');
    expect(await verdict('http://internal.corp/', production)).toBe('blocked');
    expect(await verdict('https://internal.corp/', production)).toBe('allowed');
    expect(await verdict('http://127.0.0.1:3001/', production)).toBe('allowed');
  });

  it('names the address and the range in the refusal', async () => {
    await expect(assertUrlAllowed(new URL('https://metadata.example/x'), {}, resolve)).rejects.toThrow(
      /metadata\.example resolves to 169\.254\.169\.254, a linkLocal address.*MANIFOLD_ALLOWED_HOSTS/,
    );
  });
});

describe('assertUrlAllowed never reaches Manifold\'s own services (protectedEndpoints)', () => {
  const own = {
    allowLoopback: true,
    allowedHosts: ['internal.corp', '10.0.0.0/8'],
    protectedEndpoints: [
      { host: '127.0.0.1', port: 8233 }, // Temporal UI
      { host: 'localhost', port: 7233 }, // Temporal gRPC
      { host: 'internal.corp', port: 5432 }, // the database, on another machine
    ],
  };

  it.each([
    ['http://127.0.0.1:8233/api/v1/namespaces/default/workflows', 'blocked'],
    ['http://127.9.9.9:8233/', 'blocked'], // any loopback address: the UI may listen on all of them
    ['http://[::1]:8233/', 'blocked'],
    ['http://0.0.0.0:8233/', 'blocked'],
    ['http://[::ffff:127.0.0.1]:8233/', 'blocked'],
    ['http://2130706433:7233/', 'blocked'], // decimal 127.0.0.1, the gRPC port
    ['https://mapped.example:7233/', 'blocked'], // a name that resolves to loopback
    ['https://internal.corp:5432/', 'blocked'], // by name
    ['https://10.1.2.3:5432/', 'blocked'], // by the address the database's name resolves to
    ['http://127.0.0.1:3001/mcp', 'allowed'], // another loopback port stays allowed by allowLoopback
    ['https://internal.corp/', 'allowed'], // the database host on another port
    ['https://10.1.2.4:5432/', 'allowed'], // another allowlisted machine on the same port
  ])('%s → %s even with loopback and the hosts allowlisted', async (url, expected) => {
    expect(await verdict(url, own)).toBe(expected);
  });

  // A service bound to 0.0.0.0 also answers on this machine's own addresses, e.g. its LAN address.
  const ownAddress = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
  it.skipIf(!ownAddress)("treats this machine's own interface address as loopback for protected ports", async () => {
    const policy = { allowedHosts: [ownAddress!], protectedEndpoints: [{ host: '127.0.0.1', port: 8233 }] };
    expect(await verdict(`http://${ownAddress}:8233/`, policy)).toBe('blocked');
    expect(await verdict(`http://${ownAddress}:8234/`, policy)).toBe('allowed');
  });

  it('says that no setting allows it, instead of suggesting one', async () => {
    const error = await assertUrlAllowed(new URL('http://127.0.0.1:8233/'), own, resolve).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpCallError);
    expect((error as McpCallError).message).toMatch(/one of Manifold's own services .* no setting allows/);
    expect((error as McpCallError).message).not.toMatch(/MANIFOLD_ALLOWED_HOSTS/);
  });
});

describe('reservedRangeOf', () => {
  it('treats only public unicast as unreserved', () => {
    expect(reservedRangeOf('8.8.8.8')).toBeNull();
    expect(reservedRangeOf('::ffff:10.0.0.1')).toBe('private');
    expect(reservedRangeOf('100.100.1.1')).toBe('carrierGradeNat');
    expect(reservedRangeOf('not-an-ip')).toBe('invalid');
  });
});
