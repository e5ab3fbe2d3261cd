// Every query on tenant data runs inside inTeam(): one transaction that first records the acting team in
// the transaction-local setting `app.team_id`. Row-level security policies key on that setting, so a query
// that forgot its team finds nothing instead of another team's rows.
import type { Database } from './client';
import type { Prisma } from './generated/prisma/client';

export type Tx = Prisma.TransactionClient;

export async function inTeam<T>(db: Database, teamId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await setTeam(tx, teamId);
    return fn(tx);
  });
}

/** Switches an open transaction to `teamId` (e.g. right after creating the team). */
export async function setTeam(tx: Tx, teamId: string): Promise<void> {
  await tx.$executeRaw`SELECT set_config('app.team_id', ${teamId}, true)`;
}
