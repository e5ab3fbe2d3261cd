import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { parseKeyring } from './keyring';
import { createPayloadCodec, ENCRYPTED_ENCODING } from './payload-codec';
import { createRedactor, REDACTED, SecretValueRegistry } from './redaction';

describe('createRedactor', () => {
  it('replaces secret values in nested values, keys and JSON-escaped text', () => {
    const redactor = createRedactor(['s3cr3t-"quoted"', 'tok-123']);
    expect(redactor.redact({ a: ['Bearer tok-123'], b: { 'tok-123': 1, n: 5 } })).toEqual({
      a: [`Bearer ${REDACTED}`],
      b: { [REDACTED]: 1, n: 5 },
    });
    expect(redactor.redactText(JSON.stringify({ echo: 's3cr3t-"quoted"' }))).toBe(`{"echo":"${REDACTED}"}`);
  });

  it('leaves everything alone with no values', () => {
    const value = { a: 'x' };
    expect(createRedactor([]).redact(value)).toBe(value);
  });
});

describe('SecretValueRegistry', () => {
  it('redacts values added later and forgets the oldest beyond its bound', () => {
    const registry = new SecretValueRegistry(2);
    registry.add(['first-value']);
    expect(registry.redactText('x first-value y')).toBe(`x ${REDACTED} y`);
    registry.add(['second-value', 'third-value']);
    expect(registry.redactText('first-value second-value third-value')).toBe(`first-value ${REDACTED} ${REDACTED}`);
  });
});

describe('payload codec', () => {
  const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

  it('encrypts payloads under the newest key id and decodes with any key on the ring', async () => {
    const k1 = keyText('k1');
    const codec1 = createPayloadCodec(parseKeyring(k1));
    const payloads = [defaultPayloadConverter.toPayload({ canary: 'canary-payload-text' })];
    const encoded = await codec1.encode(payloads);
    const bytes = Buffer.from(encoded[0]!.data!).toString('latin1');
    expect(bytes).not.toContain('canary-payload-text');
    expect(new TextDecoder().decode(encoded[0]!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(new TextDecoder().decode(encoded[0]!.metadata!['encryption-key-id'])).toBe('k1');

    const rotated = createPayloadCodec(parseKeyring(`${k1},${keyText('k2')}`));
    expect((await rotated.decode(encoded)).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ canary: 'canary-payload-text' }]);
    await expect(createPayloadCodec(parseKeyring(keyText('k2'))).decode(encoded)).rejects.toThrow(/k1/);
    const tampered = { ...encoded[0]!, data: Buffer.from(encoded[0]!.data!).fill(0, 30, 31) };
    await expect(codec1.decode([tampered])).rejects.toThrow(/tampered/);
  });
});
