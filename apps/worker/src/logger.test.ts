import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SecretValueRegistry } from '@manifold/secrets';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts known secret values anywhere in a line, and secret-bearing fields by path', () => {
    const secretValues = new SecretValueRegistry();
    const { lines, destination } = capture();
    const logger = createLogger('debug', { secretValues, destination });
    secretValues.add(['tok-live-9f8e7d']);
    logger.debug({ server: 'remote', line: 'stderr: auth with tok-live-9f8e7d failed' }, 'server stderr tok-live-9f8e7d');
    logger.info({ spec: { headers: { Authorization: 'Bearer other-value' } } }, 'connecting');
    const text = lines.join('');
    expect(text).not.toContain('tok-live-9f8e7d');
    expect(text).toContain('stderr: auth with [redacted] failed');
    expect(text).not.toContain('other-value');
    expect(lines).toHaveLength(2);
  });
});
