// Runs before every request except static assets. (1) Refuses state-changing requests whose Origin is not
// this site (server actions, Auth.js POSTs, the dashboard's own routes); /api/v1 uses bearer keys and is
// exempt. (2) Sends signed-out visitors of dashboard pages to /sign-in, remembering where they were going;
// /api/* authenticates with API keys, /app-api/* answers 401 itself. Whether a session is still valid
// (not signed out or revoked) is checked against the database by the pages themselves (server/session.ts).
import NextAuth from 'next-auth';
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { authConfig } from './auth.config';
import { crossOriginRefusal } from './server/same-origin';

const { auth } = NextAuth(authConfig);

const signInGate = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL('/sign-in', request.nextUrl.origin);
  const { pathname, search } = request.nextUrl;
  if (pathname !== '/') signIn.searchParams.set('callbackUrl', `${pathname}${search}`);
  return NextResponse.redirect(signIn);
});

const PUBLIC_PATHS = /^\/(?:api\/|app-api\/|sign-in|sign-up)/;

export default async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const refusal = crossOriginRefusal(request.method, request.nextUrl.pathname, request.headers);
  if (refusal)
    return Response.json(
      { type: 'https://manifold.dev/problems/forbidden', title: 'Forbidden', status: 403, code: 'forbidden', detail: refusal },
      { status: 403, headers: { 'content-type': 'application/problem+json' } },
    );
  if (PUBLIC_PATHS.test(request.nextUrl.pathname)) return NextResponse.next();
  return (await signInGate(request, event as never)) ?? NextResponse.next();
}

export const config = {
  matcher: ['/((?!_next/|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|txt)$).*)'],
};
