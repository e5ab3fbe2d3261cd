// The run as JSON for the dashboard's live run page: signed-in session (not an API key), current team.
// Errors leave as problem+json like the REST API's.
import { AppError } from '@manifold/core';
import { problemResponse } from '@/server/api/problem';
import { services } from '@/server/services';
import { readSession } from '@/server/session';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const session = await readSession();
    if (!session) throw new AppError('unauthenticated', 'Sign in to see this run.');
    const { id } = await params;
    const run = await services().runs.get(session.acting, id, { payloads: 'preview' });
    return Response.json(run, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return problemResponse(error, request);
  }
}
