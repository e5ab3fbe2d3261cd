// Each installation's state lives in its own folder, set by the catalog entry: two teams' server-memory keep
// separate files, and server-filesystem's root is the installation folder, so the server itself refuses paths
// outside it — on the real public catalog servers, Temporal and Postgres.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@manifold/core';
import type { ActingContext, RunView } from '@manifold/services';
import { startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let teamA: ActingContext;
let teamB: ActingContext;

async function runToEnd(team: ActingContext, steps: unknown[], output?: string): Promise<RunView> {
  const runId = await startAdHocRun(platform.services, team, { steps, ...(output ? { output } : {}) });
  return waitForRunEnd(platform.services, team, runId, 120_000);
}

const once = { retry: { maxAttempts: 1 } };
const folderOf = (team: ActingContext, installationId: string) =>
  path.join(`/tmp/manifold-test-${platform.taskQueue}`, 'servers', team.teamId, installationId);

beforeAll(async () => {
  platform = await startPlatform();
  teamA = await platform.newTeam('state-a');
  teamB = await platform.newTeam('state-b');
  for (const team of [teamA, teamB]) {
    await platform.services.installations.install(team, { server: 'server-memory', name: 'memory' });
    await platform.services.installations.install(team, { server: 'server-filesystem', name: 'files' });
    for (const name of ['memory', 'files']) await platform.services.installations.listTools(team, name);
  }
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('per-installation state', () => {
  it("server-memory keeps each team's graph in its own installation folder", async () => {
    const wrote = await runToEnd(teamB, [
      {
        id: 'remember',
        type: 'tool',
        server: 'memory',
        tool: 'create_entities',
        args: { entities: [{ name: 'B-confidential', entityType: 'secret-plan', observations: ['only team B may read this'] }] },
        ...once,
      },
    ]);
    expect(wrote.status).toBe('succeeded');

    const readA = await runToEnd(
      teamA,
      [{ id: 'read', type: 'tool', server: 'memory', tool: 'read_graph', args: {}, ...once }],
      '{{ $steps.read.text }}',
    );
    expect(readA.status).toBe('succeeded');
    expect(JSON.stringify(readA.output)).not.toContain('B-confidential');
    const readB = await runToEnd(
      teamB,
      [{ id: 'read', type: 'tool', server: 'memory', tool: 'read_graph', args: {}, ...once }],
      '{{ $steps.read.text }}',
    );
    expect(JSON.stringify(readB.output)).toContain('B-confidential');

    const memoryB = await platform.services.installations.get(teamB, 'memory');
    const memoryA = await platform.services.installations.get(teamA, 'memory');
    const fileB = path.join(folderOf(teamB, memoryB.id), 'memory.jsonl');
    expect(readFileSync(fileB, 'utf8')).toContain('B-confidential');
    expect(existsSync(path.join(folderOf(teamA, memoryA.id), 'memory.jsonl'))).toBe(false); // A never wrote
  });

  it('server-filesystem serves only its installation folder: /etc/hostname and ../<other installation> are refused by the server', async () => {
    const memoryB = await platform.services.installations.get(teamB, 'memory');
    const filesA = await platform.services.installations.get(teamA, 'files');
    const otherFolder = path.relative(folderOf(teamA, filesA.id), path.join(folderOf(teamB, memoryB.id), 'memory.jsonl'));
    expect(otherFolder.startsWith('..')).toBe(true);

    const allowed = await runToEnd(
      teamA,
      [{ id: 'dirs', type: 'tool', server: 'files', tool: 'list_allowed_directories', args: {}, ...once }],
      '{{ $steps.dirs.text }}',
    );
    expect(allowed.status).toBe('succeeded');
    expect(allowed.output).toContain(folderOf(teamA, filesA.id));

    for (const target of ['/etc/hostname', otherFolder, `/tmp/manifold-test-${platform.taskQueue}/servers`]) {
      const read = await runToEnd(teamA, [
        { id: 'read', type: 'tool', server: 'files', tool: 'read_text_file', args: { path: target }, ...once },
      ]);
      expect(read.status).toBe('failed');
      const attempt = read.steps[0]!.attempts[0]!;
      expect(attempt.errorClass).toBe('tool_error');
      expect(attempt.errorMessage).toMatch(/outside allowed directories|Access denied/i);
      expect(attempt.errorMessage).not.toContain('B-confidential');
    }
  });

  it('refuses to point server-filesystem or server-memory outside the folder at install time, naming the field', async () => {
    const attempts: Array<[unknown, string]> = [
      [{ server: 'server-filesystem', name: 'root', config: { args: { directory: ['/'] } } }, 'config.args.directory[0]'],
      [{ server: 'server-filesystem', name: 'up', config: { args: { directory: '../..' } } }, 'config.args.directory'],
      [{ server: 'server-filesystem', name: 'old', config: { args: ['/'] } }, 'config.args'],
      [
        { server: 'server-memory', name: 'shared', config: { env: { MEMORY_FILE_PATH: '/tmp/shared.jsonl' } } },
        'config.env.MEMORY_FILE_PATH',
      ],
      [{ server: 'server-everything', name: 'preload', config: { env: { LD_PRELOAD: '/tmp/x.so' } } }, 'config.env.LD_PRELOAD'],
    ];
    for (const [body, field] of attempts) {
      const error: unknown = await platform.services.installations.install(teamA, body).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(error) && error.code).toBe('validation_failed');
      expect(isAppError(error) && error.options.fieldErrors?.map((e) => e.path)).toContain(field);
    }
    const names = (await platform.services.installations.list(teamA)).map((i) => i.name).sort();
    expect(names).toEqual(['files', 'memory']);
  });
});
