// The run as JSON for the dashboard's live run page: signed-in session (not an API key), current team.
// Errors leave as problem+json like the REST API's.
import { AppError, toProblem } from '@manifold/core';
import { asAppError } from '@/server/app-error';
import { services } from '@/server/services';
import { readSession } from '@/server/session';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const session = await readSession();
    if (!session) throw new AppError('unauthenticated', 'Sign in to see this run.');
    const { id } = await params;
    const run = await services().runs.get(session.acting, id);
    return Response.json(run, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return problem(error, new URL(request.url).pathname);
  }
}

function problem(error: unknown, path: string): Response {
  const appError =
    asAppError(error) ??
    new AppError('internal', 'Something went wrong on our side. The error was logged; try again later.', { cause: error });
  if (appError.code === 'internal')
    console.error(
      JSON.stringify({ level: 'error', msg: 'unhandled app-api error', path, error: String(error instanceof Error ? error.stack : error) }),
    );
  return new Response(JSON.stringify(toProblem(appError, path)), {
    status: appError.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}
