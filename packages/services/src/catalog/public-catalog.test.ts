import { describe, expect, it } from 'vitest';
import { isAppError, launchDeclarationsOf, MANIFOLD_META_KEY, resolveLaunch } from '@manifold/core';
import { PUBLIC_CATALOG } from './public-catalog';

const FOLDER = '/data/servers/team-a/inst-1';
const entry = (slug: string) => {
  const found = PUBLIC_CATALOG.find((e) => e.slug === slug);
  if (!found) throw new Error(`no ${slug}`);
  return found;
};

describe('public catalog launch declarations', () => {
  it.each(PUBLIC_CATALOG.filter((e) => e.transport === 'stdio').map((e) => e.slug))(
    '%s declares valid settings, network none unless it needs a host',
    (slug) => {
      const read = launchDeclarationsOf(entry(slug).metadata);
      expect('declarations' in read).toBe(true);
      if ('declarations' in read) expect(read.declarations.network.mode).toBe(slug === 'server-postgres' ? 'egress' : 'none');
    },
  );

  it('server-memory keeps its graph in the installation folder, and the team cannot move it', () => {
    const plan = resolveLaunch(entry('server-memory'), {}, new Map(), FOLDER);
    expect(plan.env).toEqual({ MEMORY_FILE_PATH: `${FOLDER}/memory.jsonl` });
    expect(() => resolveLaunch(entry('server-memory'), { env: { MEMORY_FILE_PATH: '/tmp/shared.jsonl' } }, new Map(), FOLDER)).toThrow(
      /config\.env\.MEMORY_FILE_PATH/,
    );
  });

  it('server-filesystem is rooted at the installation folder, sub-folders only inside it', () => {
    expect(resolveLaunch(entry('server-filesystem'), {}, new Map(), FOLDER).argv).toEqual(['mcp-server-filesystem', FOLDER]);
    expect(resolveLaunch(entry('server-filesystem'), { args: { directory: ['a', 'b/c'] } }, new Map(), FOLDER).argv).toEqual([
      'mcp-server-filesystem',
      `${FOLDER}/a`,
      `${FOLDER}/b/c`,
    ]);
    expect(() => resolveLaunch(entry('server-filesystem'), { args: { directory: ['/'] } }, new Map(), FOLDER)).toThrow(
      /config\.args\.directory/,
    );
  });

  it('server-postgres takes its connection string as a secret argument, reaches only its host:port, and is flagged', () => {
    const secrets = new Map([['PG_URL', 'postgresql://reader:pw@db.internal.example:6432/app']]);
    const plan = resolveLaunch(entry('server-postgres'), { args: { connectionString: '{{ secrets.PG_URL }}' } }, secrets, FOLDER);
    expect(plan.argv).toEqual(['mcp-server-postgres', 'postgresql://reader:pw@db.internal.example:6432/app']);
    expect(plan.egress).toEqual([{ host: 'db.internal.example', port: 6432 }]);
    let refusal: unknown;
    try {
      resolveLaunch(
        entry('server-postgres'),
        { args: { connectionString: 'postgresql://postgres:postgres@127.0.0.1/manifold' } },
        new Map(),
        FOLDER,
      );
    } catch (error) {
      refusal = error;
    }
    expect(isAppError(refusal) && refusal.options.fieldErrors?.[0]?.path).toBe('config.args.connectionString');
    const meta = (entry('server-postgres').metadata._meta as Record<string, { advisories: Array<{ id: string; severity: string }> }>)[
      MANIFOLD_META_KEY
    ]!;
    expect(meta.advisories).toEqual([expect.objectContaining({ id: 'server-postgres-readonly-escape', severity: 'high' })]);
  });
});
