import { describe, expect, it } from 'vitest';
import { type AppError } from './errors';
import { assertValidSecretReferences, secretReferences, substituteSecrets } from './secret-references';

describe('secret references', () => {
  const config = {
    env: { API_KEY: '{{ secrets.API_KEY }}', MODE: 'fast' },
    headers: { Authorization: 'Bearer {{secrets.GITHUB_TOKEN}}', 'X-Both': '{{ secrets.API_KEY }}:{{ secrets.OTHER }}' },
  };

  it('lists the referenced names once each', () => {
    expect(secretReferences(config)).toEqual(['API_KEY', 'GITHUB_TOKEN', 'OTHER']);
    expect(secretReferences({})).toEqual([]);
  });

  it('substitutes values and refuses an unresolved name', () => {
    const values = new Map([
      ['API_KEY', 'k$1'],
      ['OTHER', 'o'],
    ]);
    expect(substituteSecrets(config.headers['X-Both'], values)).toBe('k$1:o');
    expect(() => substituteSecrets(config.headers.Authorization, values)).toThrow(/GITHUB_TOKEN/);
  });

  it('rejects templates that are not secret references, with the field path', () => {
    expect(() => assertValidSecretReferences(config)).not.toThrow();
    try {
      assertValidSecretReferences({ headers: { Authorization: 'Bearer {{ secret.TOKEN }}' } });
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).options.fieldErrors).toEqual([
        { path: 'config.headers.Authorization', message: expect.stringContaining('secret.TOKEN') },
      ]);
    }
  });
});
