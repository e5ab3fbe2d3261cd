// How to reach one server installation. Built by the worker from the installation (with secrets already
// resolved), so this package never reads the database or the keyring.

export interface StdioSpec {
  transport: 'stdio';
  /** Pool key: equal keys share one session. Include anything that changes the process (config, secret versions). */
  key: string;
  /** Program and arguments, never a shell line. */
  command: string[];
  /** Only these variables (plus a minimal PATH/HOME set) reach the process. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface HttpSpec {
  transport: 'http';
  key: string;
  url: string;
  headers?: Record<string, string>;
}

export type ConnectionSpec = StdioSpec | HttpSpec;

/** A short, secret-free description for logs and errors. */
export const describeSpec = (spec: ConnectionSpec): string =>
  spec.transport === 'stdio' ? `stdio:${spec.command[0] ?? '?'}` : `${new URL(spec.url).origin}${new URL(spec.url).pathname}`;
