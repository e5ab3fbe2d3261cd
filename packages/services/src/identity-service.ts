// Accounts: sign-up (argon2id, strength-checked), password sign-in with throttling, revocable sessions,
// and the CLI's bootstrap for automation.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, isAppError, parseOrThrow, validationFailed } from '@manifold/core';
import {
  createTeam,
  createUserWithTeam,
  deleteSession,
  deleteSessionsOfUser,
  findTeamByName,
  findUserByEmail,
  findUserById,
  insertApiKey,
  insertSession,
  isSessionActive,
  listTeamsForUser,
  setPasswordHash,
} from '@manifold/db';
import { decoyPasswordHash, generateApiKey, hashPassword, sha256Hex, verifyPassword } from '@manifold/secrets';
import { findOrCreateProviderUser, recordSignIn } from '@manifold/db';
import type { ServiceDeps } from './context';
import { createMailer, type Mailer } from './mailer';
import { passwordWeakness } from './password-strength';
import { API_SCOPES } from './scopes';
import { createSignInThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottleSettings } from './sign-in-throttle';

export { DEFAULT_LOGIN_THROTTLE, type LoginThrottleSettings };

const passwordSchema = z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.');

export const signUpInput = z.object({
  email: z
    .email('Enter a valid email address.')
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
});
export type SignUpInput = z.input<typeof signUpInput>;

/** How long a dashboard session lasts from sign-in (Auth.js's default JWT lifetime). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Throws a field error on `path` when the password is weak (checked offline, against the user's own inputs too). */
function assertStrongPassword(password: string, userInputs: string[], path = 'password'): void {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness) throw validationFailed([{ path, message: weakness }]);
}

export function createIdentityService(
  { db }: ServiceDeps,
  throttleSettings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
  mailer: Mailer = createMailer(),
) {
  const throttle = createSignInThrottle(db, throttleSettings);
  const sessionHash = (sessionId: string) => sha256Hex(`session:${sessionId}`);

  return {
    /**
     * Creates the user and their personal team — or, when the email is already registered (in any letter
     * case), creates nothing and mails the owner a notice. Both take the same work (a password hash), and
     * callers must answer both the same way: whether an address has an account is not for strangers to learn.
     */
    async signUp(
      raw: SignUpInput,
      request: { ip?: string | null } = {},
    ): Promise<{ status: 'created'; userId: string; teamId: string } | { status: 'existing' }> {
      const input = parseOrThrow(signUpInput, raw);
      assertStrongPassword(input.password, [input.email, input.name ?? '']);
      const passwordHash = await hashPassword(input.password);
      try {
        if (!(await findUserByEmail(db, input.email)))
          return { status: 'created', ...(await createUserWithTeam(db, { email: input.email, name: input.name ?? null, passwordHash })) };
      } catch (error) {
        // Two sign-ups of one address at once: the loser is "existing" too.
        if (!isAppError(error) || error.code !== 'conflict') throw error;
      }
      // Not awaited: the time a mail server takes must not tell the caller the address exists.
      void mailer
        .send({
          to: input.email,
          subject: 'Someone tried to sign up with your email address',
          text: [
            'Someone (perhaps you) tried to create a Manifold account with this email address, which already has one.',
            'If it was you, sign in with your existing password instead. If it was not, you can ignore this message: nothing was changed.',
            ...(request.ip ? [`The request came from ${request.ip}.`] : []),
          ].join('\n\n'),
        })
        .catch((error: unknown) =>
          console.error(
            JSON.stringify({
              level: 'error',
              msg: 'sign-up notice not sent',
              error: String(error instanceof Error ? error.message : error),
            }),
          ),
        );
      return { status: 'existing' };
    },

    /** Seconds before this client may try to sign in to `email` again (0: now). */
    signInRetryAfter: (email: string, ip: string | null) => throttle.retryAfterSeconds(email, ip),

    /**
     * The user for these credentials, or null. Costs the same whether or not the email exists. A throttled
     * client gets null without its password being checked (see sign-in-throttle.ts).
     */
    async verifyCredentials(
      email: string,
      password: string,
      ip: string | null = null,
    ): Promise<{ id: string; email: string; name: string | null } | null> {
      if ((await throttle.retryAfterSeconds(email, ip)) > 0) return null;
      const user = await findUserByEmail(db, email);
      const isValid = user?.passwordHash
        ? await verifyPassword(user.passwordHash, password)
        : await verifyPassword(await decoyPasswordHash(), password).then(() => false);
      if (!user || !isValid) {
        await throttle.recordFailure(email, ip);
        return null;
      }
      await throttle.recordSuccess(email, ip);
      return { id: user.id, email: user.email, name: user.name };
    },

    /** Opens a revocable session for a signed-in user; the returned id goes into the session cookie (JWT). */
    async startSession(userId: string): Promise<string> {
      const sessionId = randomBytes(32).toString('base64url');
      await insertSession(db, {
        userId,
        tokenHash: sessionHash(sessionId),
        expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      });
      return sessionId;
    },

    /** True while the session was neither signed out nor revoked (and has not expired). */
    isSessionActive: (userId: string, sessionId: string | null | undefined) =>
      sessionId ? isSessionActive(db, userId, sessionHash(sessionId)) : Promise.resolve(false),

    /** Sign-out: the cookie stops working at once, even where a copy of it was kept. */
    endSession: (sessionId: string) => deleteSession(db, sessionHash(sessionId)),

    /** Ends every session of the user except `keep` (the caller's own, if given). */
    endAllSessions: (userId: string, keep?: string) => deleteSessionsOfUser(db, userId, keep ? sessionHash(keep) : undefined),

    /** Changes the password (the current one is required) and ends the user's other sessions. */
    async changePassword(userId: string, raw: { current: string; next: string }, keepSessionId?: string): Promise<void> {
      const input = parseOrThrow(z.object({ current: z.string().min(1).max(200), next: passwordSchema }), raw);
      const user = await findUserById(db, userId);
      if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.current)))
        throw validationFailed([{ path: 'current', message: 'That is not your current password.' }]);
      assertStrongPassword(input.next, [user.email, user.name ?? ''], 'next');
      await setPasswordHash(db, userId, await hashPassword(input.next));
      await deleteSessionsOfUser(db, userId, keepSessionId ? sessionHash(keepSessionId) : undefined);
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
