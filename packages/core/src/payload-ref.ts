// Claim-check references: a value too big for Temporal history is stored once in Postgres and travels through
// the workflow as this small object. Pure helpers only (workflow code imports them through workflow-runtime).
import type { FieldError } from './errors';

/** The marker field of a reference; a tool result never has it at the top level of a JSON object by accident. */
export const PAYLOAD_REF_FIELD = '$manifoldPayload';

/** Values whose JSON is larger than this (UTF-8 bytes) are stored by reference (worker: PAYLOAD_THRESHOLD_BYTES). */
export const DEFAULT_PAYLOAD_THRESHOLD_BYTES = 64 * 1024;

export interface PayloadRef {
  /** The RunPayload row's id. */
  $manifoldPayload: string;
  /** Size of the stored JSON; absent on a reference to a part (see `at`). */
  bytes?: number;
  /** The stored value is an array of this many items (what a map step needs to fan out without loading it). */
  length?: number;
  /** A part of the stored value: the path of keys and indexes to it (`$item` of a map over a stored array). */
  at?: Array<string | number>;
}

export function isPayloadRef(value: unknown): value is PayloadRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)[PAYLOAD_REF_FIELD] === 'string'
  );
}

/** Whether a reference sits anywhere inside `value` (iterative: values may be deep). */
export function containsPayloadRef(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (isPayloadRef(current)) return true;
    if (Array.isArray(current)) stack.push(...(current as unknown[]));
    else stack.push(...Object.values(current));
  }
  return false;
}

/**
 * Where a value sent by a tenant (run input, a workflow definition) holds the reference marker: references are
 * Manifold's own, so a forged one is refused at the door rather than resolved later. Empty when there is none.
 */
export function reservedMarkerErrors(value: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length) {
    const [current, at] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item: unknown, i) => stack.push([item, `${at}[${i}]`]));
      continue;
    }
    if (Object.hasOwn(current, PAYLOAD_REF_FIELD))
      errors.push({ path: `${at}.${PAYLOAD_REF_FIELD}`, message: `"${PAYLOAD_REF_FIELD}" is reserved for Manifold's stored values.` });
    for (const [key, item] of Object.entries(current)) stack.push([item, `${at}.${key}`]);
  }
  return errors;
}

/** The reference to item `index` of a stored array. */
export function payloadItemRef(ref: PayloadRef, index: number): PayloadRef {
  return { $manifoldPayload: ref.$manifoldPayload, at: [...(ref.at ?? []), index] };
}

/** The part of a loaded value a reference points at (undefined when the path leads nowhere). */
export function selectPayloadPart(value: unknown, at: PayloadRef['at']): unknown {
  let current = value;
  for (const key of at ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Every reference inside `value`. */
export function collectPayloadRefs(value: unknown): PayloadRef[] {
  const refs: PayloadRef[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (isPayloadRef(current)) refs.push(current);
    else if (Array.isArray(current)) stack.push(...(current as unknown[]));
    else stack.push(...Object.values(current));
  }
  return refs;
}

/** A copy of `value` with each reference replaced; parts without references are shared, not copied. */
export function replacePayloadRefs(value: unknown, lookup: (ref: PayloadRef) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isPayloadRef(value)) return lookup(value);
  if (!containsPayloadRef(value)) return value;
  if (Array.isArray(value)) return value.map((item) => replacePayloadRefs(item, lookup));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePayloadRefs(item, lookup)]));
}

/** A loaded stored value, and whether it holds Manifold's own references (resolved too). */
export interface LoadedPayload {
  value: unknown;
  holdsRefs: boolean;
}

/** How deep stored values may nest references: a map's joined output holds its items' stored outputs. */
const MAX_PAYLOAD_NESTING = 3;

export class MissingPayloadError extends Error {
  override readonly name = 'MissingPayloadError';
}

/**
 * `value` with every reference replaced by what it points at, loading by id. References inside a loaded value
 * are resolved only when it was stored as holding them (see LoadedPayload): a forgery in a tool's output stays data.
 */
export async function resolvePayloadRefs(
  value: unknown,
  load: (ids: string[]) => Promise<Map<string, LoadedPayload>>,
  depth = 0,
): Promise<unknown> {
  const refs = collectPayloadRefs(value);
  if (refs.length === 0) return value;
  const ids = [...new Set(refs.map((ref) => ref.$manifoldPayload))];
  const loaded = await load(ids);
  const values = new Map<string, unknown>();
  for (const id of ids) {
    const payload = loaded.get(id);
    if (!payload) throw new MissingPayloadError(`A stored value of this run (${id}) is missing.`);
    values.set(
      id,
      payload.holdsRefs && depth < MAX_PAYLOAD_NESTING ? await resolvePayloadRefs(payload.value, load, depth + 1) : payload.value,
    );
  }
  return replacePayloadRefs(value, (ref) => selectPayloadPart(values.get(ref.$manifoldPayload), ref.at) ?? null);
}
