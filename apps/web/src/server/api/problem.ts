// Every error leaves the API as RFC 9457 problem+json; unexpected ones are logged once, here.
import 'server-only';
import { type z } from 'zod';
import { AppError, isAppError, toProblem, zodToAppError } from '@manifold/core';
import { isDatabaseUnavailable } from '@manifold/db';

export function problemResponse(error: unknown, request: Request): Response {
  const appError = toAppError(error);
  if (appError.code === 'internal')
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'unhandled API error',
        path: new URL(request.url).pathname,
        error: String(error instanceof Error ? error.stack : error),
      }),
    );
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (appError.options.retryAfterSeconds) headers['retry-after'] = String(appError.options.retryAfterSeconds);
  if (appError.code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="manifold"';
  return new Response(JSON.stringify(toProblem(appError, new URL(request.url).pathname)), { status: appError.status, headers });
}

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  // Duck-typed for the same reason as isAppError: zod may be bundled more than once.
  if (error instanceof Error && error.name === 'ZodError' && Array.isArray((error as z.ZodError).issues))
    return zodToAppError(error as z.ZodError);
  // An outage is not our bug: the client is told to come back (503 + Retry-After), not that something broke (500).
  if (isDatabaseUnavailable(error))
    return new AppError('unavailable', 'The database is not reachable right now. Try again shortly.', { retryAfterSeconds: 5, cause: error });
  return new AppError('internal', 'Something went wrong on our side. The error was logged; try again later.', { cause: error });
}
