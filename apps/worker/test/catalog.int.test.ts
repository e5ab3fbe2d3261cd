// The catalog service against a real database: search and filters, team-private entries, server.json
// import/export round trip, validation problems with field paths, and tenancy.
import { rejectionOf } from '@manifold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;
let other: ActingContext;

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, AppError);

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('catalog');
  other = await platform.newTeam('other');
});

afterAll(async () => {
  await platform?.stop();
});

describe('catalog', () => {
  it('lists the seeded public servers and filters by text, tag, transport and tier', async () => {
    const all = (await platform.services.catalog.list(team, {})).items.map((s) => s.slug);
    expect(all).toEqual(expect.arrayContaining(['server-everything', 'server-everything-http', 'server-filesystem', 'server-memory']));
    expect((await platform.services.catalog.list(team, { q: 'MEMORY' })).items.map((s) => s.slug)).toEqual(['server-memory']);
    expect((await platform.services.catalog.list(team, { transport: 'http' })).items.map((s) => s.slug)).toEqual([
      'server-everything-http',
    ]);
    expect((await platform.services.catalog.list(team, { tag: 'files' })).items.map((s) => s.slug)).toEqual(['server-filesystem']);
    expect((await platform.services.catalog.list(team, { tier: 'certified' })).items).toEqual([]);
    expect((await platform.services.catalog.list(team, { tier: 'unverified' })).items.length).toBe(all.length);
    const error = await refusal(platform.services.catalog.list(team, { transport: 'carrier-pigeon' }));
    expect(error.options.fieldErrors?.[0]?.path).toBe('transport');
  });

  it('creates a team-private entry only that team sees, and refuses a duplicate slug', async () => {
    const created = await platform.services.catalog.create(team, {
      slug: 'internal-crm',
      name: 'Internal CRM',
      transport: 'http',
      url: 'https://crm.internal.example/mcp',
      tags: ['crm'],
    });
    expect(created).toMatchObject({ slug: 'internal-crm', visibility: 'team', tier: 'unverified' });
    expect((await platform.services.catalog.list(team, { tag: 'crm' })).items.map((s) => s.slug)).toEqual(['internal-crm']);
    expect((await platform.services.catalog.list(other, { tag: 'crm' })).items).toEqual([]);
    expect((await refusal(platform.services.catalog.get(other, 'internal-crm'))).code).toBe('not_found');
    const duplicate = await refusal(
      platform.services.catalog.create(team, { slug: 'internal-crm', name: 'x', transport: 'http', url: 'https://a.example/mcp' }),
    );
    expect(duplicate.code).toBe('conflict');
    const missing = await refusal(platform.services.catalog.create(team, { slug: 'no-cmd', name: 'x', transport: 'stdio' }));
    expect(missing.options.fieldErrors).toEqual([{ path: 'command', message: 'A stdio server needs a command.' }]);
  });

  it('exports server.json and imports it back as an equal entry', async () => {
    const exported = await platform.services.catalog.exportServerJson(team, 'server-memory');
    expect(exported).toMatchObject({
      name: 'io.github.modelcontextprotocol/server-memory',
      version: expect.any(String),
      packages: [expect.objectContaining({ registryType: 'npm', identifier: '@modelcontextprotocol/server-memory' })],
      _meta: { 'io.manifold/catalog': { slug: 'server-memory', command: ['mcp-server-memory'] } },
    });
    const renamed = {
      ...exported,
      _meta: { 'io.manifold/catalog': { ...(exported._meta!['io.manifold/catalog'] as object), slug: 'my-memory' } },
    };
    // A team entry may not run the public entry's bundled program by name: only pinned runners or listed paths.
    const bundled = await refusal(platform.services.catalog.importServerJson(team, renamed));
    expect(bundled.options.fieldErrors?.[0]?.path).toBe('_meta.io.manifold/catalog.command[0]');
    const pinned = ['npx', '-y', '@modelcontextprotocol/server-memory@2025.11.25'];
    const imported = await platform.services.catalog.importServerJson(team, {
      ...renamed,
      _meta: { 'io.manifold/catalog': { ...renamed._meta['io.manifold/catalog'], command: pinned } },
    });
    expect(imported).toMatchObject({ slug: 'my-memory', transport: 'stdio', visibility: 'team', command: pinned });
    const detail = await platform.services.catalog.get(team, 'my-memory');
    expect(detail.server.command).toEqual(pinned);
    expect(await platform.services.catalog.exportServerJson(team, 'my-memory')).toMatchObject({
      name: exported.name,
      version: exported.version,
    });
  });

  it('installs with limits and tests the connection live on the worker, reporting latency or the failure', async () => {
    await platform.services.installations.install(team, {
      server: 'server-everything',
      name: 'everything',
      limits: { timeoutMs: 5_000, ratePerSecond: 10, maxConcurrency: 2 },
    });
    expect((await platform.services.installations.get(team, 'everything')).limits).toEqual({
      timeoutMs: 5_000,
      ratePerSecond: 10,
      maxConcurrency: 2,
    });
    const ok = await platform.services.installations.testConnection(team, 'everything');
    expect(ok).toMatchObject({ ok: true, error: null, server: { name: expect.any(String) } });
    expect(ok.tools).toContain('echo');
    expect(ok.initializeMs).toBeGreaterThan(0);
    expect(ok.listToolsMs).toBeGreaterThan(0);

    await platform.services.installations.install(team, {
      server: 'server-everything-http',
      name: 'nowhere',
      config: { url: 'http://127.0.0.1:9/mcp' },
    });
    const down = await platform.services.installations.testConnection(team, 'nowhere');
    expect(down).toMatchObject({ ok: false, tools: [], error: expect.stringMatching(/could not connect to http:\/\/127\.0\.0\.1:9\/mcp/) });
    const invalid = await refusal(
      platform.services.installations.install(team, { server: 'server-memory', name: 'm', limits: { maxConcurrency: 0 } }),
    );
    expect(invalid.options.fieldErrors?.[0]?.path).toBe('limits.maxConcurrency');
  });

  it('imports a remote server.json and rejects one without packages or remotes', async () => {
    const remote = await platform.services.catalog.importServerJson(team, {
      name: 'com.example/weather',
      description: 'Weather',
      version: '1.2.0',
      remotes: [{ type: 'streamable-http', url: 'https://weather.example/mcp', headers: [{ name: 'Authorization', isSecret: true }] }],
    });
    expect(remote).toMatchObject({ slug: 'weather', transport: 'http' });
    const error = await refusal(
      platform.services.catalog.importServerJson(team, { name: 'com.example/empty', description: 'x', version: '1' }),
    );
    expect(error.options.fieldErrors?.[0]?.path).toBe('packages');
  });
});
