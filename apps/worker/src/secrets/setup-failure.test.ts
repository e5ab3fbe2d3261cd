import { describe, expect, it } from 'vitest';
import { AppError, NEVER_RETRIED } from '@manifold/core';
import { McpCallError } from '@manifold/mcp';
import { DecryptionError, KeyringError } from '@manifold/secrets';
import { setupFailure } from './setup-failure';

const classOf = (error: unknown) => (setupFailure(error) as McpCallError).errorClass;

describe('failures before a tool call', () => {
  it('a missing master keyring or a key missing from it is a configuration error that is not retried', () => {
    expect(classOf(new AppError('unavailable', 'Secrets are unavailable: MANIFOLD_MASTER_KEYS is not set.'))).toBe('config_error');
    expect(classOf(new DecryptionError('Master key "m1" is not in MANIFOLD_MASTER_KEYS; add it back or restore the keyring.'))).toBe(
      'config_error',
    );
    expect(classOf(new KeyringError('MANIFOLD_MASTER_KEYS is empty'))).toBe('config_error');
    expect((setupFailure(new KeyringError('bad')) as Error).message).toContain('Fix MANIFOLD_MASTER_KEYS');
    expect(NEVER_RETRIED).toContain('config_error');
  });

  it('a missing installation or secret is not_found; an OAuth failure and anything else pass through', () => {
    expect(classOf(new AppError('not_found', 'Secret "X" not found'))).toBe('not_found');
    const auth = new McpCallError('auth_error', 'reconnect');
    expect(setupFailure(auth)).toBe(auth);
    const other = new Error('socket hang up');
    expect(setupFailure(other)).toBe(other);
  });
});
