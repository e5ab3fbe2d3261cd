// The worker runs public catalog servers in the bubblewrap sandbox: runs work as before, each installation has its own
// uid and folder, and server-filesystem rooted at "/" (a probe of issue #7) sees neither the worker's files nor
// another team's folder. The full hostile-tenant suite builds on this (packages/mcp/test/sandbox.int.test.ts).
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@manifold/testing';
import type { ActingContext } from '@manifold/services';
import { startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let teamA: ActingContext;
let teamB: ActingContext;
const isRoot = process.getuid?.() === 0;

const dataDir = () => `/tmp/manifold-test-${platform.taskQueue}`;
const runOne = async (team: ActingContext, server: string, tool: string, args: Record<string, unknown>) => {
  const runId = await startAdHocRun(platform.services, team, { steps: [{ id: 'probe', type: 'tool', server, tool, args }], output: { text: '{{ $steps.probe.text }}' } });
  return waitForRunEnd(platform.services, team, runId, 60_000);
};

beforeAll(async () => {
  platform = await startPlatform({ sandbox: true });
  [teamA, teamB] = await Promise.all([platform.newTeam('a'), platform.newTeam('b')]);
  await platform.services.installations.install(teamA, { server: 'server-everything', name: 'everything' });
  await platform.services.installations.install(teamA, { server: 'server-filesystem', name: 'disk', config: { args: ['/'] } });
  await platform.services.installations.install(teamB, { server: 'server-everything', name: 'everything' });
});

afterAll(async () => {
  await platform?.stop();
});

describe('sandboxed stdio servers in the worker', () => {
  it('runs a workflow step through a sandboxed server-everything, each installation in a folder of its own uid', async () => {
    const [a, b] = await Promise.all([runOne(teamA, 'everything', 'echo', { message: 'hi' }), runOne(teamB, 'everything', 'echo', { message: 'hi' })]);
    expect([a.status, b.status], JSON.stringify(a.steps)).toEqual(['succeeded', 'succeeded']);
    expect(a.output).toEqual({ text: 'Echo: hi' });
    const folders = await Promise.all(
      [
        [teamA, 'everything'],
        [teamB, 'everything'],
      ].map(async ([team, name]) => {
        const installation = await platform.services.installations.get(team as ActingContext, name as string);
        return statSync(path.join(dataDir(), 'servers', (team as ActingContext).teamId, installation.id));
      }),
    );
    for (const folder of folders) expect(folder.mode & 0o777).toBe(0o700);
    if (isRoot) {
      expect(folders[0]!.uid).toBeGreaterThan(400_000);
      expect(folders[0]!.uid).not.toBe(folders[1]!.uid);
    }
  });

  it("server-filesystem rooted at / sees neither the worker's files nor another team's folder", async () => {
    const listing = await runOne(teamA, 'disk', 'list_directory', { path: path.join(dataDir(), 'servers') });
    expect(listing.status).toBe('succeeded');
    expect(JSON.stringify(listing.output)).toContain(teamA.teamId);
    expect(JSON.stringify(listing.output)).not.toContain(teamB.teamId);
    // The worker's own pid does not exist in the sandbox's PID namespace (the tests run as the worker here).
    for (const file of [path.join(repoRoot(), '.env'), path.join(repoRoot(), 'package.json'), '/etc/shadow', `/proc/${process.pid}/environ`]) {
      const read = await runOne(teamA, 'disk', 'read_text_file', { path: file });
      expect(read.status, file).toBe('failed');
      expect(JSON.stringify(read.steps[0]?.error), file).toMatch(/ENOENT|EACCES/);
    }
  });
});
