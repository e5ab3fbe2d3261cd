// Dashboard sessions that can be revoked. The session cookie is a signed JWT (Auth.js, required by
// credentials sign-in); each one names a row here by the hash of its random session id, and a request
// counts as signed in only while that row exists and has not expired.
import type { Database } from './client';

export async function insertSession(db: Database, input: { userId: string; tokenHash: string; expires: Date }): Promise<void> {
  await db.session.create({ data: { userId: input.userId, sessionToken: input.tokenHash, expires: input.expires } });
}

/** True while the session exists, belongs to `userId` and has not expired. */
export async function isSessionActive(db: Database, userId: string, tokenHash: string): Promise<boolean> {
  const row = await db.session.findUnique({ where: { sessionToken: tokenHash }, select: { userId: true, expires: true } });
  return row !== null && row.userId === userId && row.expires > new Date();
}

export async function deleteSession(db: Database, tokenHash: string): Promise<void> {
  await db.session.deleteMany({ where: { sessionToken: tokenHash } });
}

/** Ends every session of the user (password change, "sign out everywhere"); returns how many ended. */
export async function deleteSessionsOfUser(db: Database, userId: string, except?: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId, ...(except ? { NOT: { sessionToken: except } } : {}) } });
  // Expired rows of anyone go too: the table would otherwise only grow.
  await db.session.deleteMany({ where: { expires: { lt: new Date() } } });
  return count;
}

export async function setPasswordHash(db: Database, userId: string, passwordHash: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { passwordHash } });
}

export async function findUserById(db: Database, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, passwordHash: true } });
}
