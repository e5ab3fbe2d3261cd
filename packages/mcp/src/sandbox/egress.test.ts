// The egress plan (hosts file, forwarder argv), target validation, the proxy's verdicts and the protected endpoints.
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, Resolver } from '../network-policy';
import {
  egressForwarderPath,
  FORWARDER_NODE_FLAGS,
  forwarderCommand,
  judgeEgress,
  MAX_EGRESS_TARGETS,
  normalizeEgressTarget,
  planEgress,
  protectedEndpointsFromSettings,
  SANDBOX_EGRESS_SOCKET,
} from './egress';

describe('planEgress', () => {
  it('gives each hostname a loopback address of its own and listens on loopback literals directly', () => {
    const { endpoints, hostsFile } = planEgress([
      { host: 'DB.Example.com.', port: 5432 },
      { host: '127.0.0.2', port: 8080 }, // a literal already using .2: names skip it
      { host: 'api.example.com', port: 443 },
      { host: 'db.example.com', port: 6432 }, // same name, another port: same address
      { host: 'db.example.com', port: 5432 }, // duplicate
      { host: '[::1]', port: 9000 },
    ]);
    expect(endpoints).toEqual([
      { target: { host: 'db.example.com', port: 5432 }, listen: { host: '127.0.0.3', port: 5432 } },
      { target: { host: '127.0.0.2', port: 8080 }, listen: { host: '127.0.0.2', port: 8080 } },
      { target: { host: 'api.example.com', port: 443 }, listen: { host: '127.0.0.4', port: 443 } },
      { target: { host: 'db.example.com', port: 6432 }, listen: { host: '127.0.0.3', port: 6432 } },
      { target: { host: '::1', port: 9000 }, listen: { host: '::1', port: 9000 } },
    ]);
    expect(hostsFile.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([
      '127.0.0.1 localhost',
      '::1 localhost ip6-localhost ip6-loopback',
      '127.0.0.3 db.example.com',
      '127.0.0.4 api.example.com',
    ]);
    expect(forwarderCommand(endpoints)).toEqual([
      process.execPath,
      ...FORWARDER_NODE_FLAGS,
      egressForwarderPath(),
      '--socket',
      SANDBOX_EGRESS_SOCKET,
      '--listen',
      '127.0.0.3:5432=db.example.com:5432',
      '--listen',
      '127.0.0.2:8080=127.0.0.2:8080',
      '--listen',
      '127.0.0.4:443=api.example.com:443',
      '--listen',
      '127.0.0.3:6432=db.example.com:6432',
      '--listen',
      '[::1]:9000=[::1]:9000',
      '--',
    ]);
  });

  it('maps a target named localhost instead of keeping the default line', () => {
    const { hostsFile } = planEgress([{ host: 'localhost', port: 5432 }]);
    expect(hostsFile).toMatch(/^127\.0\.0\.2 localhost$/m);
    expect(hostsFile).not.toMatch(/^127\.0\.0\.1 /m);
  });

  it('refuses entries that could rewrite the hosts file or argv, and too many targets', () => {
    expect(() => planEgress([{ host: 'ok.example\n10.0.0.1 bank.example', port: 443 }])).toThrow(/Egress target 0 .*not a hostname/);
    expect(() => planEgress([{ host: 'a.example', port: 1 }, { host: 'x=y.example', port: 443 }])).toThrow(/Egress target 1 .*not a hostname/);
    expect(() => planEgress([{ host: 'a b', port: 443 }])).toThrow(/not a hostname/);
    expect(() => planEgress([{ host: '', port: 443 }])).toThrow(/not a hostname/);
    expect(() => planEgress([{ host: 'a.example', port: 0 }])).toThrow(/port must be 1-65535/);
    expect(() => planEgress([{ host: 'a.example', port: 1.5 }])).toThrow(/port must be 1-65535/);
    expect(() => planEgress([{ host: '10.0.0.1', port: 5432 }])).toThrow(/IP address.*DNS name/);
    expect(() => planEgress([{ host: '[2606:2800:220:1::1]', port: 443 }])).toThrow(/IP address.*DNS name/);
    const many = Array.from({ length: MAX_EGRESS_TARGETS + 1 }, (_, index) => ({ host: `h${index}.example`, port: 443 }));
    expect(() => planEgress(many)).toThrow(/At most 32 egress targets/);
  });

  it('normalizes IPv4-mapped loopback to the IPv4 form', () => {
    expect(normalizeEgressTarget({ host: '[::ffff:127.0.0.1]', port: 80 })).toEqual({ host: '127.0.0.1', port: 80 });
  });
});

describe('judgeEgress (the proxy\'s verdict for one connection)', () => {
  const dns: Record<string, string[]> = {
    'api.example.com': ['93.184.216.34'],
    'rebind.example.com': ['127.0.0.1'], // a public-looking name that answers with loopback
    'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
    'metadata.example.com': ['169.254.169.254'],
    'db.internal': ['10.1.2.3'],
  };
  const resolve: Resolver = async (host) => {
    const found = dns[host];
    if (!found) throw new Error(`ENOTFOUND ${host}`);
    return found;
  };
  const allow = [
    { host: 'api.example.com', port: 443 },
    { host: 'rebind.example.com', port: 5432 },
    { host: 'rebind.example.com', port: 8080 },
    { host: 'mixed.example.com', port: 443 },
    { host: 'metadata.example.com', port: 80 },
    { host: 'db.internal', port: 5432 },
    { host: 'nowhere.example.com', port: 443 },
    { host: '127.0.0.1', port: 7233 },
  ];
  const own = [
    { host: '127.0.0.1', port: 5432 },
    { host: 'localhost', port: 7233 },
    { host: 'db.internal', port: 5432 },
  ];
  const verdict = async (requested: string, policy: NetworkPolicy) => {
    const result = await judgeEgress(requested, allow, policy, resolve);
    return result.allowed ? `allowed ${result.addresses.join(',')}` : result.reason;
  };

  it('allows a listed public target and returns the addresses it checked (connected to as is, never resolved again)', async () => {
    expect(await verdict('api.example.com:443', {})).toBe('allowed 93.184.216.34');
    expect(await verdict('API.example.com.:443', {})).toBe('allowed 93.184.216.34');
  });

  it('refuses what the installation did not list: another port, another host, garbage', async () => {
    expect(await verdict('api.example.com:80', {})).toMatch(/api\.example\.com:80 is not in this installation's allow-list/);
    expect(await verdict('evil.example.com:443', {})).toMatch(/not in this installation's allow-list/);
    expect(await verdict('api.example.com', {})).toBe('malformed request');
    expect(await verdict('api.example.com:443 extra', {})).toBe('malformed request');
  });

  it('refuses private, link-local and mixed answers by the SSRF rules', async () => {
    expect(await verdict('db.internal:5432', {})).toMatch(/resolves to 10\.1\.2\.3, a private address/);
    expect(await verdict('metadata.example.com:80', { allowLoopback: true })).toMatch(/169\.254\.169\.254, a linkLocal address/);
    expect(await verdict('mixed.example.com:443', {})).toMatch(/10\.0\.0\.7, a private address/);
    expect(await verdict('nowhere.example.com:443', {})).toMatch(/Could not resolve nowhere\.example\.com/);
  });

  it('refuses a name that resolves to loopback (DNS rebinding) unless loopback is allowed', async () => {
    expect(await verdict('rebind.example.com:8080', {})).toMatch(/resolves to 127\.0\.0\.1, a loopback address/);
    expect(await verdict('rebind.example.com:8080', { allowLoopback: true })).toBe('allowed 127.0.0.1');
  });

  it("refuses Manifold's own ports even with loopback and the host allowlisted", async () => {
    const generous: NetworkPolicy = { allowLoopback: true, allowedHosts: ['db.internal', '10.0.0.0/8'], protectedEndpoints: own };
    expect(await verdict('rebind.example.com:5432', generous)).toMatch(/one of Manifold's own services/);
    expect(await verdict('127.0.0.1:7233', generous)).toMatch(/one of Manifold's own services/);
    expect(await verdict('db.internal:5432', generous)).toMatch(/one of Manifold's own services/);
    expect(await verdict('rebind.example.com:8080', generous)).toBe('allowed 127.0.0.1');
  });
});

describe('protectedEndpointsFromSettings', () => {
  it("lists the database, Temporal gRPC and UI, the web app and the worker's health port", () => {
    expect(
      protectedEndpointsFromSettings({
        DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:54329/manifold',
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
        TEMPORAL_UI_PORT: 8233,
        WORKER_HEALTH_PORT: 3101,
        PORT: 3000,
        APP_URL: 'https://manifold.example.com',
      }),
    ).toEqual([
      { host: '127.0.0.1', port: 54329 },
      { host: '127.0.0.1', port: 7233 },
      { host: '127.0.0.1', port: 8233 },
      { host: 'localhost', port: 3101 },
      { host: 'localhost', port: 3000 },
      { host: 'manifold.example.com', port: 443 },
    ]);
  });

  it('takes defaults and odd forms: no port, IPv6, a socket-only URL, a host name', () => {
    expect(
      protectedEndpointsFromSettings({ DATABASE_URL: 'postgresql://db.internal/manifold', TEMPORAL_ADDRESS: '[::1]', NEXTAUTH_URL: 'http://localhost:3000' }),
    ).toEqual([
      { host: 'db.internal', port: 5432 },
      { host: '::1', port: 7233 },
      { host: 'localhost', port: 3000 },
    ]);
    expect(protectedEndpointsFromSettings({ DATABASE_URL: 'postgresql:///manifold?host=/run/postgresql', TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual([
      { host: 'localhost', port: 5432 },
      { host: 'temporal', port: 7233 },
    ]);
  });

  it('never keeps the database password', () => {
    const endpoints = protectedEndpointsFromSettings({ DATABASE_URL: 'postgresql://u:hunter2@db:5432/x', TEMPORAL_ADDRESS: 'localhost:7233' });
    expect(JSON.stringify(endpoints)).not.toContain('hunter2');
  });
});
