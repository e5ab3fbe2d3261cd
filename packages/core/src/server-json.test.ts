import { describe, expect, it } from 'vitest';
import { MANIFOLD_META_KEY } from './launch-declarations';
import { catalogEntryFromServerJson, serverJsonFromCatalogEntry, serverJsonSchema } from './server-json';

const postgres = serverJsonSchema.parse({
  name: 'io.example/pg',
  description: 'Postgres',
  version: '1.0.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@example/pg',
      packageArguments: [{ type: 'positional', valueHint: 'connectionString', isRequired: true, isSecret: true }],
    },
  ],
  _meta: {
    [MANIFOLD_META_KEY]: {
      network: { mode: 'egress', targetsFrom: [{ arg: 'connectionString' }] },
      advisories: [{ id: 'x-1', severity: 'high', summary: 'Known flaw.' }],
    },
  },
});

describe('server.json launch declarations', () => {
  it('imports declared arguments and keeps the network and advisories on export', () => {
    const mapped = catalogEntryFromServerJson(postgres);
    if ('error' in mapped) throw new Error(mapped.error.message);
    const exported = serverJsonFromCatalogEntry(mapped.entry);
    expect(exported.packages?.[0]).toMatchObject({ packageArguments: [{ valueHint: 'connectionString', isSecret: true }] });
    expect(exported._meta?.[MANIFOLD_META_KEY]).toMatchObject({
      slug: 'pg',
      network: { mode: 'egress' },
      advisories: [{ id: 'x-1', severity: 'high' }],
    });
  });

  it('refuses an import that declares a loader variable or a malformed argument, naming the path', () => {
    const preload = catalogEntryFromServerJson({
      ...postgres,
      packages: [{ registryType: 'npm', identifier: 'x', environmentVariables: [{ name: 'LD_PRELOAD' }] }],
    });
    expect(preload).toEqual({ error: expect.objectContaining({ path: 'packages[0].environmentVariables[0].name' }) });
    const parsed = serverJsonSchema.safeParse({
      ...postgres,
      packages: [{ registryType: 'npm', identifier: 'x', packageArguments: [{ type: 'named' }] }],
    });
    expect(parsed.success).toBe(false);
  });
});
