// The part of the Auth.js configuration that needs no database: shared by the full config (auth.ts) and by
// proxy.ts, which only has to read the session cookie.
import type { NextAuthConfig } from 'next-auth';

export const authConfig = {
  trustHost: true,
  session: { strategy: 'jwt' },
  pages: { signIn: '/sign-in' },
  providers: [],
  callbacks: {
    // The JWT keeps the user id in `sub`; expose it on the session so pages know who is asking.
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      // Server code checks it against the session table (server/session.ts).
      if (typeof token.sid === 'string') Object.assign(session, { sessionId: token.sid });
      return session;
    },
  },
} satisfies NextAuthConfig;
