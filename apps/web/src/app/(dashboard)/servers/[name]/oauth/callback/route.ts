// The authorization server sends the user back here after Connect: the signed-in user and current team
// complete the grant (state checked against the one they started, PKCE verifier, resource), then return to
// the server page, which shows "Connected" or the error.
import { asAppError } from '@/server/app-error';
import { services } from '@/server/services';
import { readSession } from '@/server/session';

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const name = decodeURIComponent((await params).name);
  const url = new URL(request.url);
  const back = new URLSearchParams();
  // Relative redirects: request.url's host may be the server's own name, not the one the browser (and its cookie) used.
  const redirect = (location: string) => new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
  const session = await readSession();
  if (!session) return redirect('/sign-in');
  try {
    await services().oauth.completeAuthorization(session.acting, name, url.searchParams);
    back.set('oauth', 'connected');
  } catch (error) {
    const appError = asAppError(error);
    if (!appError) console.error(JSON.stringify({ level: 'error', msg: 'oauth callback failed', error: String(error) }));
    back.set('oauth_error', appError?.message ?? 'Connecting failed on our side; the error was logged.');
  }
  return redirect(`/servers/${encodeURIComponent(name)}?${back.toString()}`);
}
