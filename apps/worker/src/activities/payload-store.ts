// The worker's side of claim-check: values above the threshold are stored once in Postgres and replaced by a
// reference before they reach Temporal history; references are resolved (with I/O) only here, in activities,
// so workflow code stays deterministic. Stored values never change, so a byte-bounded cache keeps the ones a
// fan-out reads again and again (every item of a map over a stored array reads the same row).
import { containsPayloadRef, resolvePayloadRefs, type LoadedPayload, type PayloadRef } from '@manifold/core';
import { loadRunPayloads, storeRunPayload, type Database } from '@manifold/db';

export const PAYLOAD_CACHE_BYTES_DEFAULT = 64 * 1024 * 1024;

export interface PayloadPlace {
  runId: string;
  key: string;
  attempt: number;
}

export interface PayloadStore {
  /**
   * `value` itself, or a reference once it is stored: when its JSON is above the threshold, or when it holds
   * something shaped like a reference (a server's forgery: stored as data, it is never resolved).
   */
  spill(teamId: string, place: PayloadPlace, value: unknown): Promise<unknown>;
  /**
   * Stores `value` whatever its size (a map chunk's outputs, made by the interpreter: the references in it are
   * Manifold's own and are resolved with it) and returns its reference.
   */
  store(teamId: string, place: PayloadPlace, value: unknown): Promise<PayloadRef>;
  /** `value` with every reference in it replaced by the value it points at. */
  resolve(teamId: string, value: unknown): Promise<unknown>;
}

export function createPayloadStore(db: Database, options: { thresholdBytes: number; cacheBytes?: number }): PayloadStore {
  const cacheLimit = options.cacheBytes ?? PAYLOAD_CACHE_BYTES_DEFAULT;
  // Insertion order is recency order: a hit is moved to the end, the oldest entries leave first.
  const cache = new Map<string, LoadedPayload & { bytes: number }>();
  let cachedBytes = 0;
  const remember = (id: string, payload: LoadedPayload, bytes: number) => {
    if (bytes > cacheLimit || cache.has(id)) return;
    cache.set(id, { ...payload, bytes });
    cachedBytes += bytes;
    for (const [oldest, entry] of cache) {
      if (cachedBytes <= cacheLimit) break;
      cache.delete(oldest);
      cachedBytes -= entry.bytes;
    }
  };
  const load = async (teamId: string, ids: string[]) => {
    const found = new Map<string, LoadedPayload>();
    for (const id of ids) {
      const entry = cache.get(id);
      if (!entry) continue;
      cache.delete(id);
      cache.set(id, entry);
      found.set(id, entry);
    }
    const rows = await loadRunPayloads(
      db,
      teamId,
      ids.filter((id) => !found.has(id)),
    );
    for (const [id, { bytes, ...payload }] of rows) {
      remember(id, payload, bytes);
      found.set(id, payload);
    }
    return found;
  };
  const store = async (teamId: string, place: PayloadPlace, value: unknown, holdsRefs: boolean, body = JSON.stringify(value ?? null)) => {
    const stored = await storeRunPayload(db, teamId, { ...place, body, holdsRefs });
    remember(stored.id, { value, holdsRefs }, stored.bytes);
    const ref: PayloadRef = { $manifoldPayload: stored.id, bytes: stored.bytes };
    if (Array.isArray(value)) ref.length = value.length;
    return ref;
  };

  return {
    async spill(teamId, place, value) {
      const body = JSON.stringify(value ?? null);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes <= options.thresholdBytes && !containsPayloadRef(value)) return value;
      return store(teamId, place, value, false, body);
    },
    store: (teamId, place, value) => store(teamId, place, value, containsPayloadRef(value)),
    resolve: (teamId, value) => resolvePayloadRefs(value, (ids) => load(teamId, ids)),
  };
}
