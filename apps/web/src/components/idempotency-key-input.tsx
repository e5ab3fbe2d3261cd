'use client';
// A hidden Idempotency-Key for a form that starts something: a double click (or a resent form) sends the same key
// twice, and the service starts one run for both.
import { useEffect, useState } from 'react';

/** A random v4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not (plain-HTTP hosts). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Renders `<input name="idempotencyKey">`. The key is made after hydration (server and client would make different
 * ones) and renewed whenever `renewOn` changes: a submission that came back (an error to fix) ends that attempt.
 */
export function IdempotencyKeyInput({ renewOn }: { renewOn?: unknown }) {
  const [key, setKey] = useState('');
  useEffect(() => setKey(newKey()), [renewOn]);
  return <input type="hidden" name="idempotencyKey" value={key} data-testid="idempotency-key" />;
}
