// Claim-check storage: values too big for Temporal history, stored once per (run, key, attempt) as JSON text.
// A repeated activity (retried after a crash) finds its row instead of writing a second one.
import type { Database } from './client';
import { inTeam } from './tenant';

export interface NewRunPayload {
  runId: string;
  /** The step execution's key, plus a suffix for a rendered value (":items", ":args", ":output"). */
  key: string;
  attempt: number;
  /** The value as JSON text. */
  body: string;
  /** It holds Manifold's own references, to be resolved too (see the schema). */
  holdsRefs?: boolean;
}

export interface StoredRunPayload {
  id: string;
  bytes: number;
}

export async function storeRunPayload(db: Database, teamId: string, payload: NewRunPayload): Promise<StoredRunPayload> {
  const bytes = Buffer.byteLength(payload.body, 'utf8');
  const { runId, key, attempt } = payload;
  return inTeam(db, teamId, (tx) =>
    tx.runPayload.upsert({
      where: { runId_key_attempt: { runId, key, attempt } },
      create: { teamId, runId, key, attempt, bytes, body: payload.body, holdsRefs: payload.holdsRefs ?? false },
      update: {},
      select: { id: true, bytes: true },
    }),
  );
}

/** Each stored value asked for, parsed, with its size (ids of other teams' values are simply absent). */
export async function loadRunPayloads(
  db: Database,
  teamId: string,
  ids: readonly string[],
): Promise<Map<string, { value: unknown; holdsRefs: boolean; bytes: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await inTeam(db, teamId, (tx) =>
    tx.runPayload.findMany({
      where: { teamId, id: { in: [...new Set(ids)] } },
      select: { id: true, body: true, holdsRefs: true, bytes: true },
    }),
  );
  return new Map(rows.map((row) => [row.id, { value: JSON.parse(row.body) as unknown, holdsRefs: row.holdsRefs, bytes: row.bytes }]));
}

export interface RunPayloadHead {
  id: string;
  bytes: number;
  /** The first characters of the JSON text (for a truncated view: the full body is never loaded). */
  head: string;
}

/** The sizes and first `chars` characters of the team's stored values asked for (the full bodies are not loaded). */
export async function listRunPayloadHeads(db: Database, teamId: string, ids: readonly string[], chars: number): Promise<RunPayloadHead[]> {
  if (ids.length === 0) return [];
  return inTeam(
    db,
    teamId,
    (tx) => tx.$queryRaw<RunPayloadHead[]>`
      SELECT id, bytes, left(body, ${chars}::int) AS head FROM "RunPayload"
      WHERE "teamId" = ${teamId} AND id = ANY(${[...new Set(ids)]}::text[])`,
  );
}

/** One stored value, whole (the download); null if it is not this team's. */
export async function readRunPayload(
  db: Database,
  teamId: string,
  id: string,
): Promise<(StoredRunPayload & { runId: string; body: string }) | null> {
  return inTeam(db, teamId, (tx) =>
    tx.runPayload.findFirst({ where: { teamId, id }, select: { id: true, runId: true, bytes: true, body: true } }),
  );
}
