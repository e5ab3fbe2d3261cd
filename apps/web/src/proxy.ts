// Runs before every request except static assets. (1) Refuses state-changing requests whose Origin is not
// this site (server actions, Auth.js POSTs, the dashboard's own routes); /api/v1 uses bearer keys and is
// exempt. (2) Refuses NUL characters in page paths and query values. (3) Sends signed-out visitors of dashboard pages to /sign-in, remembering where they were going;
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

const problem = (status: 400 | 403, code: string, title: string, detail: string, errors?: Array<{ path: string; message: string }>) =>
  Response.json(
    { type: `https://manifold.dev/problems/${code.replaceAll('_', '-')}`, title, status, code, detail, ...(errors ? { errors } : {}) },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

/** A NUL character in the path or a query value (pages would hand it to Postgres); /api/v1 names the field itself. */
function nulRefusal(url: URL): Array<{ path: string; message: string }> | null {
  if (/^\/api\/v1(?:\/|$)/.test(url.pathname)) return null;
  const message = 'Must not contain NUL characters (\\u0000).';
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return [{ path: 'path', message: 'The path is not valid percent-encoding.' }];
  }
  const errors = path.includes('\u0000') ? [{ path: 'path', message }] : [];
  for (const [name, value] of url.searchParams)
    if (`${name}${value}`.includes('\u0000')) errors.push({ path: name.replaceAll('\u0000', ''), message });
  return errors.length > 0 ? errors : null;
}

export default async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const refusal = crossOriginRefusal(request.method, request.nextUrl.pathname, request.headers);
  if (refusal) return problem(403, 'forbidden', 'Forbidden', refusal);
  const nul = nulRefusal(request.nextUrl);
  if (nul) return problem(400, 'validation_failed', 'Validation failed', 'The address contains NUL characters.', nul);
  if (PUBLIC_PATHS.test(request.nextUrl.pathname)) return NextResponse.next();
  return (await signInGate(request, event as never)) ?? NextResponse.next();
}

export const config = {
  matcher: ['/((?!_next/|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|txt)$).*)'],
};
