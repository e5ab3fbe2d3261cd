// The payload keyring the committed histories were recorded with. Temporal payloads are encrypted (inputs,
// results, failures), so a replay needs the key that wrote them: this one is fixed and public, test-only, and
// the recorded runs use only the fixture server with made-up data and no team secrets. Never use it elsewhere.
import { createHash } from 'node:crypto';

export const REPLAY_KEYRING = `replay-fixtures:${createHash('sha256').update('manifold replay fixtures (public test key)').digest('base64')}`;

/** Every step kind and run ending the committed histories must cover (one fixture file each). */
export const RECORDED_KINDS = [
  'tool',
  'tool-remote',
  'map',
  'parallel',
  'choice',
  'wait',
  'catch',
  'cancel',
  'retry',
  'failure',
  'run-retry',
  // Recorded later, each for a change of the interpreter (the histories above stay as they were recorded).
  'stored-values',
  'map-chunks',
  'wait-visible',
  'cancel-waiting',
] as const;

/**
 * Kinds whose run starts child workflows (a wide map's chunks): their histories are committed and replayed too,
 * as `<kind>.chunk-<first item>.json`.
 */
export const KINDS_WITH_CHILDREN: ReadonlyArray<(typeof RECORDED_KINDS)[number]> = ['map-chunks'];

/** Put into every recorded run's input: the recorder checks it never appears in a history as plain text. */
export const PLAINTEXT_MARKER = 'replay-plaintext-marker-7f3a';
