// Postgres itself keeps teams apart: the application role sees no tenant row without `app.team_id`, only its
// own team's rows with it, and cannot write rows of another team — even when the query forgets its filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@manifold/testing';
import {
  APP_ROLE,
  createDatabase,
  createSystemDatabase,
  createUserWithTeam,
  createWorkflow,
  findApiKeyByPrefix,
  inTeam,
  insertApiKey,
  upsertPublicServer,
  type Database,
  type SystemDatabase,
} from '../src/index';

let database: TestDatabase;
let db: Database;
let system: SystemDatabase;
let teamA: string;
let teamB: string;
let workflowA: string;
const actor = { type: 'system' } as const;
const definition = { steps: [{ id: 'say', type: 'tool' as const, server: 'everything', tool: 'echo', args: {} }] };

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { maxConnections: 4 });
  system = createSystemDatabase(database.url);
  teamA = (await createUserWithTeam(db, { email: 'a@example.test', passwordHash: 'x', teamName: 'A' })).teamId;
  teamB = (await createUserWithTeam(db, { email: 'b@example.test', passwordHash: 'x', teamName: 'B' })).teamId;
  workflowA = (await createWorkflow(db, teamA, actor, { slug: 'secret-flow', name: 'Secret', definition: definition as never })).id;
  await insertApiKey(db, teamA, actor, { name: 'k', prefix: 'AAAAAAAAAAAA', hash: 'h', scopes: ['runs:read'] });
});

afterAll(async () => {
  await db?.$disconnect();
  await system?.$disconnect();
  await database?.drop();
});

describe('row-level security', () => {
  it('protects every table that has a teamId column (new tenant tables cannot be forgotten)', async () => {
    const tables = await system.$queryRaw<Array<{ table: string; forced: boolean; enabled: boolean; policies: string[] }>>`
      SELECT c.relname::text AS "table", c.relforcerowsecurity AS forced, c.relrowsecurity AS enabled,
             COALESCE(array_agg(p.polname::text) FILTER (WHERE p.polname IS NOT NULL), '{}'::text[]) AS policies
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'teamId' AND NOT a.attisdropped
      LEFT JOIN pg_policy p ON p.polrelid = c.oid
      WHERE c.relkind = 'r'
      GROUP BY c.relname, c.relforcerowsecurity, c.relrowsecurity
      ORDER BY c.relname`;
    // Identity routing tables are read before a team is chosen; they are documented exceptions.
    const exceptions = new Set(['Membership']);
    // owner_all only lets the migration owner through; a tenant table needs a policy for the app role too.
    const isProtected = (t: (typeof tables)[number]) => t.enabled && t.forced && t.policies.some((name) => name !== 'owner_all');
    const unprotected = tables.filter((t) => !exceptions.has(t.table) && !isProtected(t));
    expect(tables.length).toBeGreaterThan(8);
    expect(unprotected.map((t) => t.table)).toEqual([]);
  });

  it('runs application queries as the non-owner role, even though the login is a superuser', async () => {
    const [row] = await db.$queryRaw<Array<{ current_user: string; is_super: string }>>`
      SELECT current_user, current_setting('is_superuser') AS is_super`;
    expect(row).toEqual({ current_user: APP_ROLE, is_super: 'off' });
  });

  it('a query that forgets its team returns nothing', async () => {
    expect(await db.workflow.findMany()).toEqual([]);
    expect(await db.workflowVersion.count()).toBe(0);
    expect(await db.auditLog.count()).toBe(0);
    expect(await db.apiKey.count()).toBe(0);
    // The system path sees that the rows are there.
    expect(await system.workflow.count()).toBe(1);
  });

  it("inside another team's transaction, an unfiltered query sees only that team's rows", async () => {
    const seenByB = await inTeam(db, teamB, (tx) => tx.workflow.findMany());
    expect(seenByB).toEqual([]);
    const byIdFromB = await inTeam(db, teamB, (tx) => tx.workflow.findUnique({ where: { id: workflowA } }));
    expect(byIdFromB).toBeNull();
    const seenByA = await inTeam(db, teamA, (tx) => tx.workflow.findMany());
    expect(seenByA.map((w) => w.id)).toEqual([workflowA]);
  });

  it("refuses to write a row into another team, and cannot update or delete the other team's rows", async () => {
    await expect(
      inTeam(db, teamB, (tx) => tx.workflow.create({ data: { teamId: teamA, slug: 'planted', name: 'Planted' } })),
    ).rejects.toThrow(/row-level security/i);
    const updated = await inTeam(db, teamB, (tx) => tx.workflow.updateMany({ where: { id: workflowA }, data: { name: 'Hijacked' } }));
    expect(updated.count).toBe(0);
    const deleted = await inTeam(db, teamB, (tx) => tx.workflow.deleteMany({ where: { id: workflowA } }));
    expect(deleted.count).toBe(0);
    // Moving an own row to another team is refused too (WITH CHECK on UPDATE).
    await expect(inTeam(db, teamA, (tx) => tx.workflow.update({ where: { id: workflowA }, data: { teamId: teamB } }))).rejects.toThrow(
      /row-level security/i,
    );
    const unchanged = await system.workflow.findUniqueOrThrow({ where: { id: workflowA } });
    expect(unchanged).toMatchObject({ teamId: teamA, name: 'Secret' });
    expect(await system.workflow.count({ where: { slug: 'planted' } })).toBe(0);
  });

  it('the audit log of one team is invisible and unwritable from another', async () => {
    expect(await inTeam(db, teamB, (tx) => tx.auditLog.count({ where: { teamId: teamA } }))).toBe(0);
    await expect(
      inTeam(db, teamB, (tx) => tx.auditLog.create({ data: { teamId: teamA, actorType: 'system', action: 'forged' } })),
    ).rejects.toThrow(/row-level security/i);
  });

  it('public catalog rows are readable in every team and writable only through the system path', async () => {
    const entry = {
      slug: 'rls-public',
      name: 'Public',
      description: '',
      version: '1.0.0',
      transport: 'stdio' as const,
      command: ['true'],
      url: null,
      repository: null,
      tags: [],
      metadata: {},
    };
    await upsertPublicServer(system, entry);
    expect(await inTeam(db, teamB, (tx) => tx.mcpServer.count({ where: { slug: 'rls-public' } }))).toBe(1);
    expect(await db.mcpServer.count({ where: { slug: 'rls-public' } })).toBe(1);
    await expect(
      inTeam(db, teamB, (tx) => tx.mcpServer.create({ data: { ...entry, slug: 'rls-forged', ownerKey: 'public', teamId: null } })),
    ).rejects.toThrow(/row-level security/i);
    const changed = await inTeam(db, teamB, (tx) => tx.mcpServer.updateMany({ where: { slug: 'rls-public' }, data: { name: 'Mine now' } }));
    expect(changed.count).toBe(0);
  });

  it("a team's certification report is invisible to other teams; system certifications are visible to all", async () => {
    const server = await upsertPublicServer(system, {
      slug: 'rls-certified',
      name: 'Certified',
      description: '',
      version: '1.0.0',
      transport: 'stdio' as const,
      command: ['true'],
      url: null,
      repository: null,
      tags: [],
      metadata: {},
    });
    const row = (scope: 'system' | 'team', teamId: string | null) => ({
      serverId: server.id,
      serverVersion: '1.0.0',
      tier: 'community' as const,
      scores: {},
      evidence: {},
      evaluatorVersion: 'test',
      trigger: 'manual',
      requestedByTeam: teamId,
      scope,
      teamId,
      startedAt: new Date(),
    });
    await system.certification.create({ data: row('system', null) });
    await system.certification.create({ data: row('team', teamA) });
    const visible = (team: string) =>
      inTeam(db, team, (tx) => tx.certification.findMany({ where: { serverId: server.id }, select: { scope: true, teamId: true } }));
    expect(await visible(teamA)).toHaveLength(2);
    expect(await visible(teamB)).toEqual([{ scope: 'system', teamId: null }]);
    expect(await db.certification.count({ where: { serverId: server.id } })).toBe(1); // no team: system rows only
    await expect(inTeam(db, teamB, (tx) => tx.certification.create({ data: row('team', teamB) }))).rejects.toThrow(/row-level security/i);
  });

  it('finds an API key by prefix before any team is known, through the SECURITY DEFINER function only', async () => {
    const record = await findApiKeyByPrefix(db, 'AAAAAAAAAAAA');
    expect(record).toMatchObject({ teamId: teamA, prefix: 'AAAAAAAAAAAA', scopes: ['runs:read'] });
    expect(await findApiKeyByPrefix(db, 'BBBBBBBBBBBB')).toBeNull();
    expect(await db.apiKey.findUnique({ where: { prefix: 'AAAAAAAAAAAA' } })).toBeNull();
  });
});
