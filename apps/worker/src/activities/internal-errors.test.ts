import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '@manifold/core';
import { INTERNAL_ERROR_MESSAGE, looksInternal, toSafeActivityError } from './internal-errors';

describe('internal error text', () => {
  it.each([
    '\nInvalid `prisma.stepAttempt.update()` invocation in\n/work/repo/packages/db/src/runs.ts:190:9\n\n  187 const x',
    'TypeError: x is undefined\n    at callTool (/srv/manifold/apps/worker/src/activities/run-activities.ts:120:7)',
    'duplicate key value violates unique constraint "Run_pkey"',
    'syntax error at or near "FROM"',
    'Cannot find module file:///srv/app/dist/index.js',
  ])('recognises %j as internal', (message) => {
    expect(looksInternal(message)).toBe(true);
  });

  it.each(['Tool "echo" on "everything": the connection closed', 'connect ECONNREFUSED 127.0.0.1:3001', 'cannot open board-minutes.pdf'])(
    'leaves %j to the team',
    (message) => {
      expect(looksInternal(message)).toBe(false);
    },
  );

  it('keeps Temporal failures and plain AppErrors, replaces everything else', () => {
    const own = ApplicationFailure.create({ type: 'tool_error', message: 'no' });
    expect(toSafeActivityError(own)).toBe(own);
    const domain = new AppError('not_found', 'Installation "x" was not found.');
    expect(toSafeActivityError(domain)).toBe(domain);
    const replaced = toSafeActivityError(new Error('Invalid `prisma.run.update()` invocation in /x/y.ts:1:2'));
    expect(replaced).toMatchObject({ type: 'internal', message: INTERNAL_ERROR_MESSAGE });
    expect(toSafeActivityError(new RangeError('Maximum call stack size exceeded'))).toMatchObject({ message: INTERNAL_ERROR_MESSAGE });
  });
});
