// Tools that reveal what the server received from its environment and its HTTP requests, as SHA-256
// fingerprints only, so tests can check secret injection without any secret crossing back.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sha256Hex } from '../../sha256';
import type { FixtureState } from '../state';
import { errorResult, structuredResult, textResult } from './results';

export function registerEnvironmentTools(server: McpServer, state: FixtureState): void {
  server.registerTool(
    'echo_meta',
    {
      description: "Returns the request's `_meta` as structured content { meta } (e.g. the caller's idempotency key).",
      inputSchema: {},
      annotations: { title: 'Request metadata', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (_args, extra) => structuredResult({ meta: (extra._meta ?? {}) as Record<string, unknown> }),
  );

  server.registerTool(
    'env',
    {
      description: 'Tells whether environment variable `name` is set and, if so, the SHA-256 hex of its value (never the value).',
      inputSchema: { name: z.string().min(1).describe('Environment variable name') },
      outputSchema: { name: z.string(), set: z.boolean(), sha256: z.string().nullable() },
      annotations: { title: 'Environment fingerprint', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ name }) => {
      const value = process.env[name];
      return structuredResult({ name, set: value !== undefined, sha256: value === undefined ? null : sha256Hex(value) });
    },
  );

  server.registerTool(
    'arg_token',
    {
      description: 'Tells whether the server was started with `--token` and, if so, the SHA-256 hex of its value (never the value).',
      inputSchema: {},
      outputSchema: { set: z.boolean(), sha256: z.string().nullable() },
      annotations: { title: 'Argument fingerprint', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => {
      const at = process.argv.indexOf('--token');
      const value = at >= 0 ? process.argv[at + 1] : undefined;
      return structuredResult({ set: value !== undefined, sha256: value === undefined ? null : sha256Hex(value) });
    },
  );

  server.registerTool(
    'require_env',
    {
      description: 'Fails with "missing NAME" (isError: true) unless environment variable `name` is set.',
      inputSchema: { name: z.string().min(1).describe('Environment variable name') },
      annotations: { title: 'Require environment variable', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ name }) => (process.env[name] === undefined ? errorResult(`missing ${name}`) : textResult(`${name} is set`)),
  );

  server.registerTool(
    'request_headers',
    {
      description:
        'HTTP mode: the request headers of the most recent tool calls (this one included, newest last) as ' +
        'lower-cased name → SHA-256 hex of the value. Empty over stdio.',
      inputSchema: {},
      outputSchema: {
        calls: z.array(z.object({ tool: z.string(), at: z.number(), headers: z.record(z.string(), z.string()) })),
      },
      annotations: { title: 'Request header fingerprints', readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    },
    () => structuredResult({ calls: state.headerLog() }),
  );
}
