// Sends signed-out visitors of dashboard pages to /sign-in (remembering where they were going). API routes
// are not covered: /api/* authenticates with API keys, /app-api/* answers 401 itself.
import NextAuth from 'next-auth';
import { NextResponse } from 'next/server';
import { authConfig } from './auth.config';

const { auth } = NextAuth(authConfig);

export default auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL('/sign-in', request.nextUrl.origin);
  const { pathname, search } = request.nextUrl;
  if (pathname !== '/') signIn.searchParams.set('callbackUrl', `${pathname}${search}`);
  return NextResponse.redirect(signIn);
});

export const config = {
  matcher: ['/((?!api/|app-api/|_next/|sign-in|sign-up|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|txt)$).*)'],
};
