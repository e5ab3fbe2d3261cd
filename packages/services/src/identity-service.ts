// Accounts: sign-up (argon2id), password sign-in, and the CLI's bootstrap for automation.
import { z } from 'zod';
import { AppError, parseOrThrow } from '@manifold/core';
import { createTeam, createUserWithTeam, findTeamByName, findUserByEmail, insertApiKey, listTeamsForUser } from '@manifold/db';
import { decoyPasswordHash, generateApiKey, hashPassword, verifyPassword } from '@manifold/secrets';
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

export function createIdentityService({ db }: ServiceDeps) {
  return {
    async signUp(raw: SignUpInput): Promise<{ userId: string; teamId: string }> {
      const input = parseOrThrow(signUpInput, raw);
      return createUserWithTeam(db, { email: input.email, name: input.name ?? null, passwordHash: await hashPassword(input.password) });
    },

    /** The user for these credentials, or null. Costs the same whether or not the email exists. */
    async verifyCredentials(email: string, password: string): Promise<{ id: string; email: string; name: string | null } | null> {
      const user = await findUserByEmail(db, email);
      if (!user?.passwordHash) {
        await verifyPassword(await decoyPasswordHash(), password);
        return null;
      }
      return (await verifyPassword(user.passwordHash, password)) ? { id: user.id, email: user.email, name: user.name } : null;
    },

    listTeams: (userId: string) => listTeamsForUser(db, userId),

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
