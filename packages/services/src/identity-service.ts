// Accounts: sign-up (argon2id), password sign-in, and the CLI's bootstrap for automation.
import { z } from 'zod';
import { AppError, parseOrThrow } from '@manifold/core';
import { createTeam, createUserWithTeam, findTeamByName, findUserByEmail, insertApiKey, listTeamsForUser } from '@manifold/db';
import { decoyPasswordHash, generateApiKey, hashPassword, verifyPassword } from '@manifold/secrets';
import { findOrCreateProviderUser, hitRateLimit, peekRateLimit, recordSignIn, resetRateLimit } from '@manifold/db';
import type { ServiceDeps } from './context';
import { API_SCOPES } from './scopes';

export const signUpInput = z.object({
  email: z
    .email('Enter a valid email address.')
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.'),
  name: z.string().trim().max(100).optional(),
});
export type SignUpInput = z.input<typeof signUpInput>;

/** Failed sign-ins allowed per email within the window before sign-in is refused until the window ends. */
export interface LoginThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
}
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { maxFailures: 10, windowSeconds: 900 };

export function createIdentityService({ db }: ServiceDeps, throttle: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE) {
  const throttleKey = (email: string) => `login:${email.trim().toLowerCase()}`;

  return {
    async signUp(raw: SignUpInput): Promise<{ userId: string; teamId: string }> {
      const input = parseOrThrow(signUpInput, raw);
      return createUserWithTeam(db, { email: input.email, name: input.name ?? null, passwordHash: await hashPassword(input.password) });
    },

    /** True while `email` has used up its failed sign-ins for the window (shared by all web processes). */
    async isSignInLocked(email: string): Promise<boolean> {
      return (await peekRateLimit(db, throttleKey(email), throttle.windowSeconds)) >= throttle.maxFailures;
    },

    /**
     * The user for these credentials, or null. Costs the same whether or not the email exists. After
     * `maxFailures` failures for an email within the window, even the right password answers null until the
     * window ends; a success clears the count.
     */
    async verifyCredentials(email: string, password: string): Promise<{ id: string; email: string; name: string | null } | null> {
      if (await this.isSignInLocked(email)) return null;
      const user = await findUserByEmail(db, email);
      const isValid = user?.passwordHash
        ? await verifyPassword(user.passwordHash, password)
        : await verifyPassword(await decoyPasswordHash(), password).then(() => false);
      if (!user || !isValid) {
        await hitRateLimit(db, throttleKey(email), throttle.windowSeconds);
        return null;
      }
      await resetRateLimit(db, throttleKey(email));
      return { id: user.id, email: user.email, name: user.name };
    },

    listTeams: (userId: string) => listTeamsForUser(db, userId),

    /** Audits a successful sign-in in each of the user's teams. */
    recordSignIn: (userId: string, method: string, ip?: string | null) => recordSignIn(db, userId, { method }, ip),

    /** GitHub / Google sign-in: the Manifold user id, or null when the email belongs to an unlinked account. */
    async signInWithProvider(input: {
      provider: string;
      providerAccountId: string;
      email: string | null | undefined;
      name?: string | null;
    }) {
      if (!input.email) return null;
      const email = parseOrThrow(signUpInput.shape.email, input.email);
      return findOrCreateProviderUser(db, {
        provider: input.provider,
        providerAccountId: input.providerAccountId,
        email,
        name: input.name ?? null,
      });
    },

    /**
     * For automation and first runs: creates (or reuses) the user and the named team, and issues a new API
     * key with every scope. The key is returned once and stored only as a hash.
     */
    async bootstrap(raw: {
      email: string;
      password: string;
      teamName: string;
    }): Promise<{ userId: string; teamId: string; apiKey: string }> {
      const input = parseOrThrow(signUpInput, { email: raw.email, password: raw.password });
      const teamName = z.string().trim().min(1).max(100).parse(raw.teamName);
      let user = await findUserByEmail(db, input.email);
      let teamId: string;
      if (!user) {
        teamId = (await createUserWithTeam(db, { email: input.email, passwordHash: await hashPassword(input.password), teamName })).teamId;
        user = (await findUserByEmail(db, input.email))!;
      } else {
        if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password)))
          throw new AppError('unauthenticated', 'That user exists and the password does not match.');
        teamId = (await findTeamByName(db, user.id, teamName))?.teamId ?? (await createTeam(db, user.id, teamName)).teamId;
      }
      const key = generateApiKey();
      await insertApiKey(
        db,
        teamId,
        { type: 'user', id: user.id },
        { name: 'bootstrap', prefix: key.prefix, hash: key.hash, scopes: [...API_SCOPES] },
      );
      return { userId: user.id, teamId, apiKey: key.key };
    },
  };
}
