// The worker's side of claim-check: values above the threshold are stored once in Postgres and replaced by a
// reference before they reach Temporal history; references are resolved (with I/O) only here, in activities,
// so workflow code stays deterministic. Stored values never change, so a byte-bounded cache keeps the ones a
// fan-out reads again and again (every item of a map over a stored array reads the same row).
import { collectPayloadRefs, containsPayloadRef, replacePayloadRefs, selectPayloadPart, type PayloadRef } from '@manifold/core';
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
   * something shaped like a reference (a server's or an expression's forgery: stored, it is data and is never
   * resolved, as loaded values are not searched for references).
   */
  spill(teamId: string, place: PayloadPlace, value: unknown): Promise<unknown>;
  /** `value` with every reference in it replaced by the value it points at. */
  resolve(teamId: string, value: unknown): Promise<unknown>;
}

export class MissingPayloadError extends Error {
  override readonly name = 'MissingPayloadError';
}

export function createPayloadStore(db: Database, options: { thresholdBytes: number; cacheBytes?: number }): PayloadStore {
  const cacheLimit = options.cacheBytes ?? PAYLOAD_CACHE_BYTES_DEFAULT;
  // Insertion order is recency order: a hit is moved to the end, the oldest entries leave first.
  const cache = new Map<string, { value: unknown; bytes: number }>();
  let cachedBytes = 0;
  const remember = (id: string, value: unknown, bytes: number) => {
    if (bytes > cacheLimit) return;
    cache.set(id, { value, bytes });
    cachedBytes += bytes;
    for (const [oldest, entry] of cache) {
      if (cachedBytes <= cacheLimit) break;
      cache.delete(oldest);
      cachedBytes -= entry.bytes;
    }
  };
  const recall = (id: string) => {
    const entry = cache.get(id);
    if (entry) {
      cache.delete(id);
      cache.set(id, entry);
    }
    return entry?.value;
  };

  return {
    async spill(teamId, place, value) {
      const body = JSON.stringify(value ?? null);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes <= options.thresholdBytes && !containsPayloadRef(value)) return value;
      const stored = await storeRunPayload(db, teamId, { ...place, body });
      remember(stored.id, value, stored.bytes);
      const ref: PayloadRef = { $manifoldPayload: stored.id, bytes: stored.bytes };
      if (Array.isArray(value)) ref.length = value.length;
      return ref;
    },

    async resolve(teamId, value) {
      const refs = collectPayloadRefs(value);
      if (refs.length === 0) return value;
      const missing = refs.map((ref) => ref.$manifoldPayload).filter((id) => !cache.has(id));
      const loaded = await loadRunPayloads(db, teamId, missing);
      const values = new Map<string, unknown>();
      for (const ref of refs) {
        const id = ref.$manifoldPayload;
        if (values.has(id)) continue;
        const body = loaded.get(id);
        if (body !== undefined) {
          const parsed: unknown = JSON.parse(body);
          remember(id, parsed, Buffer.byteLength(body, 'utf8'));
          values.set(id, parsed);
        } else if (cache.has(id)) values.set(id, recall(id));
        else throw new MissingPayloadError(`A stored value of this run (${id}) is missing.`);
      }
      return replacePayloadRefs(value, (ref) => selectPayloadPart(values.get(ref.$manifoldPayload), ref.at) ?? null);
    },
  };
}
