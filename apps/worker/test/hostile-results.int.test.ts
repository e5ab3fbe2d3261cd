// What untrusted servers and internal failures may leave behind (issue 14): a tool result with NUL characters
// is stored, an internal error (Prisma) never reaches a run's error, and failure messages are stored in
// Temporal history only encrypted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { runWorkflowId } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import pino from 'pino';
import { INTERNAL_ERROR_MESSAGE, internalErrorInterceptor } from '../src/activities/internal-errors';
import { flatten } from './leak-scan';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('hostile');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
});
afterAll(async () => {
  await platform?.stop();
});

describe('hostile tool results and internal errors', () => {
  it('stores a tool result containing NUL characters (as U+FFFD) and the run succeeds', async () => {
    // The definition holds the JSONata escape, not a NUL: the server is what returns the NUL character.
    const runId = await startAdHocRun(platform.services, team, {
      steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: '{{ "a\\u0000b" }}' } }],
      output: { text: '{{ $steps.say.text }}' },
    });
    const run = await waitForRunEnd(platform.services, team, runId, 60_000);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.output).toEqual({ text: 'Echo: a\ufffdb' });
    expect(run.steps[0]!.attempts[0]!.status).toBe('succeeded');
  });

  it('hands the workflow a plain internal failure for a Prisma error, and logs the original', async () => {
    const prismaError = await platform.db.run.findFirst({ where: { id: { in: 'x' as never } } }).catch((e: unknown) => e);
    expect(String((prismaError as Error).message)).toMatch(/prisma|invocation/i); // a real Prisma error, with its path
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    const context = { info: { activityType: 'callTool', workflowExecution: { workflowId: 'w' } } } as never;
    const inbound = internalErrorInterceptor(logger)(context).inbound!;
    const thrown = await inbound.execute!({ args: [], headers: {} } as never, () => Promise.reject(prismaError)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ type: 'internal', message: INTERNAL_ERROR_MESSAGE, nonRetryable: false });
    expect(logged.join('')).toMatch(/invocation|prisma/i);
    // A failure the worker wrote for the team passes unchanged.
    const own = ApplicationFailure.create({ type: 'tool_error', message: 'Tool "x" reported an error: no.' });
    expect(await inbound.execute!({ args: [], headers: {} } as never, () => Promise.reject(own)).catch((e: unknown) => e)).toBe(own);
  });

  it('keeps failure messages out of Temporal history in clear', async () => {
    const confidential = 'board-minutes-2027-confidential.pdf';
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'boom',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: `cannot open ${confidential}` },
          retry: { maxAttempts: 1 },
        },
      ],
    });
    const run = await waitForRunEnd(platform.services, team, runId, 60_000);
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.error)).toContain(confidential); // the team sees its own error
    const history = await platform.temporal.env.client.workflow.getHandle(runWorkflowId(runId)).fetchHistory();
    const text = flatten(history);
    expect(text).toContain('Encoded failure');
    expect(text).not.toContain(confidential);
    expect(text).not.toMatch(/\.ts:\d+:\d+/); // no stack traces in clear either
  });
});
