// Auth.js: email + password sign-in through the identity service, JWT sessions (credentials require them).
// Each JWT names a session row (`sid`): signing out deletes it, and server/session.ts refuses a JWT whose
// row is gone, so a copied cookie stops working at sign-out or revocation.
import NextAuth, { type User } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { clientIp } from '@/server/client-ip';
import { oauthProviders } from '@/server/config';
import { z } from 'zod';
import { services } from '@/server/services';
import { SESSION_MAX_AGE_SECONDS } from '@manifold/services';
import { authConfig } from './auth.config';

// NUL cannot reach Postgres (the email is looked up, and keys the throttle): such input is just no match.
const noNul = (text: string) => !text.includes('\u0000');
const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(254).refine(noNul),
  password: z.string().min(1).max(200).refine(noNul),
});

declare module '@auth/core/jwt' {
  interface JWT {
    /** The session row's id (see identity.startSession). */
    sid?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  session: { ...authConfig.session, maxAge: SESSION_MAX_AGE_SECONDS },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request): Promise<User | null> {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const ip = clientIp(request.headers);
        const user = await services().identity.verifyCredentials(parsed.data.email, parsed.data.password, ip);
        if (!user) return null;
        await services().identity.recordSignIn(user.id, 'password', ip);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
    // Offered only when configured (AUTH_GITHUB_ID/SECRET, AUTH_GOOGLE_ID/SECRET).
    ...oauthProviders().map((p) => (p.id === 'github' ? GitHub : Google)({ clientId: p.clientId, clientSecret: p.clientSecret })),
  ],
  callbacks: {
    ...authConfig.callbacks,
    // A provider sign-in maps to our own user (created on first sign-in); an email that already has an
    // unlinked account is refused rather than silently linked.
    async signIn({ account, user }) {
      if (!account || account.provider === 'credentials') return true;
      const found = await services().identity.signInWithProvider({
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email: user.email,
        name: user.name ?? null,
      });
      if (!found) return '/sign-in?error=account-exists';
      user.id = found.userId;
      await services().identity.recordSignIn(found.userId, account.provider);
      return true;
    },
    // `user` is present only at sign-in: that is when the session row is opened.
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = await services().identity.startSession(user.id);
      }
      return token;
    },
  },
  events: {
    async signOut(message) {
      const sessionId = 'token' in message ? message.token?.sid : undefined;
      if (typeof sessionId === 'string') await services().identity.endSession(sessionId);
    },
  },
});
