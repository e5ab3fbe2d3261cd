// SHA-256 hex digests: the fixture reports fingerprints of secrets, never the secrets themselves.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
