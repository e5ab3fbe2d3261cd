// Classifies what fails before a tool call reaches the server (installation, secrets, keyring, OAuth).
import { AppError } from '@manifold/core';
import { McpCallError } from '@manifold/mcp';
import { DecryptionError, KeyringError } from '@manifold/secrets';

/**
 * What went wrong before the call: a missing installation or secret is not_found; a missing or incomplete
 * master keyring is a configuration error that no retry can fix (it used to be retried as a transport error).
 */
export function setupFailure(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'not_found') return new McpCallError('not_found', error.message);
  if (error instanceof AppError && error.code === 'unavailable') return new McpCallError('config_error', error.message);
  if (error instanceof KeyringError || error instanceof DecryptionError)
    return new McpCallError(
      'config_error',
      `The worker cannot open this team's secrets: ${error.message} Fix MANIFOLD_MASTER_KEYS on the workers, then retry the run.`,
    );
  return error;
}
