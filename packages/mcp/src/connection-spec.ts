// How to reach one server installation. Built by the worker from the installation (with secrets already
// resolved), so this package never reads the database or the keyring.
import type { SandboxPolicy } from './sandbox/policy';

export interface StdioSpec {
  transport: 'stdio';
  /** Pool key: equal keys share one session. Include anything that changes the process (config, secret versions). */
  key: string;
  /** Program and arguments, never a shell line. */
  command: string[];
  /** Only these variables (plus a minimal PATH/HOME set) reach the process. */
  env?: Record<string, string>;
  cwd?: string;
  /** The sandbox this process runs in (when the pool sandboxes): the key must change when this does. */
  sandbox?: SandboxPolicy;
}

/**
 * Where an OAuth-protected server's access tokens come from. The token is set on each request of this
 * installation's own transport only (audience binding: never another server, never a stdio env).
 */
export interface AccessTokenSource {
  /** A valid access token (refreshed ahead of expiry). */
  token(): Promise<string>;
  /** The server answered 401 to `rejected`: a token that is not `rejected` (refreshed once, coordinated across workers). */
  refreshAfterRejection(rejected: string): Promise<string>;
  /** Names the server in errors, never a token. */
  label: string;
}

export interface HttpSpec {
  transport: 'http';
  key: string;
  url: string;
  headers?: Record<string, string>;
  authorization?: AccessTokenSource;
}

export type ConnectionSpec = StdioSpec | HttpSpec;

/** A short, secret-free description for logs and errors. */
export const describeSpec = (spec: ConnectionSpec): string =>
  spec.transport === 'stdio' ? `stdio:${spec.command[0] ?? '?'}` : `${new URL(spec.url).origin}${new URL(spec.url).pathname}`;
