// The authorization server sends the user back here after Connect: the signed-in user and current team
// complete the grant (state checked against the one they started, PKCE verifier, resource), then return to
// the server page, which shows "Connected" or the error.
import { NextResponse } from 'next/server';
import { asAppError } from '@/server/app-error';
import { services } from '@/server/services';
import { readSession } from '@/server/session';

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const name = decodeURIComponent((await params).name);
  const url = new URL(request.url);
  const back = new URL(`/servers/${encodeURIComponent(name)}`, url.origin);
  const session = await readSession();
  if (!session) return NextResponse.redirect(new URL('/sign-in', url.origin));
  try {
    await services().oauth.completeAuthorization(session.acting, name, url.searchParams);
    back.searchParams.set('oauth', 'connected');
  } catch (error) {
    const appError = asAppError(error);
    if (!appError) console.error(JSON.stringify({ level: 'error', msg: 'oauth callback failed', error: String(error) }));
    back.searchParams.set('oauth_error', appError?.message ?? 'Connecting failed on our side; the error was logged.');
  }
  return NextResponse.redirect(back, 303);
}
