// What an activity's unexpected error may tell the run. A Prisma or driver error names source files, SQL
// and constraint names; a stack trace names the worker's paths. The run's error (shown to the team, stored
// in Temporal history) gets a plain sentence instead, and the worker's log keeps the whole error.
import type { Logger } from 'pino';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { isAppError } from '@manifold/core';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export const INTERNAL_ERROR_MESSAGE = 'The worker hit an internal error while running this step; it was logged. Retry the run later.';

/** File paths, stack frames, SQL and Prisma's own wording: signs a message was not written for the team. */
const INTERNAL_TEXT = [
  /(?:^|[\s(:"'`])(?:\/|[A-Za-z]:\\|file:\/\/)[^\s:"'`]+\.(?:[cm]?[jt]sx?|node)\b/, // a source file
  /^\s*at\s.+\(?.+:\d+:\d+\)?\s*$/m, // a stack frame
  /\bprisma\b|\binvocation\b/i,
  /\b(?:SELECT|INSERT|UPDATE|DELETE)\b[\s\S]*\b(?:FROM|INTO|SET|WHERE)\b/,
  /\b(?:violates|constraint|relation|syntax error at or near|invalid byte sequence)\b/i,
];

export const looksInternal = (message: string): boolean => INTERNAL_TEXT.some((pattern) => pattern.test(message));

/**
 * The failure the workflow sees for `error`. Temporal failures and AppErrors are written for the team and
 * pass unchanged (an AppError's message is kept unless it looks internal); anything else becomes a
 * retryable `internal` ApplicationFailure without the original text.
 */
export function toSafeActivityError(error: unknown): unknown {
  if (error instanceof TemporalFailure) return error;
  if (isAppError(error) && !looksInternal(error.message)) return error;
  return ApplicationFailure.create({ type: 'internal', message: INTERNAL_ERROR_MESSAGE });
}

/** The worker's activity interceptor: logs an unexpected error in full, then hands the workflow a safe one. */
export const internalErrorInterceptor =
  (logger: Logger): ActivityInterceptorsFactory =>
  (context) => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          const safe = toSafeActivityError(error);
          if (safe !== error)
            logger.error(
              { err: error, activity: context.info.activityType, workflowId: context.info.workflowExecution?.workflowId },
              'activity failed with an internal error',
            );
          throw safe;
        }
      },
    },
  });
