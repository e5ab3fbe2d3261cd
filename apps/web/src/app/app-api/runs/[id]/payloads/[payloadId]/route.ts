// The download of one stored (claim-check) value of a run, for the dashboard: signed-in session, current team
// (another team's value is not found). The body is the value's JSON text as stored.
import { AppError } from '@manifold/core';
import { problemResponse } from '@/server/api/problem';
import { services } from '@/server/services';
import { readSession } from '@/server/session';

export async function GET(request: Request, { params }: { params: Promise<{ id: string; payloadId: string }> }): Promise<Response> {
  try {
    const session = await readSession();
    if (!session) throw new AppError('unauthenticated', 'Sign in to download this value.');
    const { id, payloadId } = await params;
    const payload = await services().runs.payload(session.acting, id, payloadId);
    return new Response(payload.body, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${payload.id.replace(/[^A-Za-z0-9-]/g, '')}.json"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    return problemResponse(error, request);
  }
}
