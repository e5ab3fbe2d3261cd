// Tools that misbehave on purpose: flaky (fails N times per key), crash (the server dies mid-call) and
// malformed (the answer violates the CallToolResult schema).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FixtureState } from '../state';
import { INVALID_PARAMS_MARKER, MALFORMED_RESULT_MARKER, OFF_SCHEMA_RESULT_MARKER } from '../malformed';
import { errorResult, structuredResult, textResult } from './results';

export interface FaultHooks {
  /** Ends the conversation without an answer: exits the process (stdio) or destroys the socket (http). */
  crash(): never | Promise<never>;
}

export function registerFaultTools(server: McpServer, state: FixtureState, hooks: FaultHooks): void {
  server.registerTool(
    'flaky',
    {
      description:
        'Fails the first `failTimes` calls made with the same `key` (isError: true, "flaky failure N of M"), then ' +
        'succeeds with "ok after M failures". Counts are per server process, or survive restarts when the ' +
        'server runs with FIXTURE_STATE_DIR. Use a fresh key per test.',
      inputSchema: {
        key: z.string().min(1).describe('Independent counter name'),
        failTimes: z.number().int().min(0).describe('How many calls fail before the first success'),
      },
      annotations: { title: 'Flaky', readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ key, failTimes }) => {
      const call = state.nextFlakyCall(key);
      if (call <= failTimes) return errorResult(`flaky failure ${call} of ${failTimes}`);
      return textResult(`ok after ${failTimes} failures`);
    },
  );

  server.registerTool(
    'crash',
    {
      description:
        'Kills the connection before answering: over stdio the server process exits with code 1, over HTTP the ' +
        'server destroys the socket of this request. Use it to test reconnects and lost calls.',
      inputSchema: {},
      annotations: { title: 'Crash', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    async () => hooks.crash(),
  );

  server.registerTool(
    'malformed',
    {
      description:
        'Answers with a result that violates the MCP CallToolResult schema (content is the string "not-an-array"). ' +
        'A conforming client must reject it.',
      inputSchema: {},
      annotations: { title: 'Malformed answer', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    // A valid placeholder carrying a marker: the transport wrapper in ../malformed replaces it on the way out.
    () => ({ ...textResult('this result is replaced by a malformed one'), _meta: { [MALFORMED_RESULT_MARKER]: true } }),
  );

  server.registerTool(
    'off_schema',
    {
      description: 'Declares an outputSchema { count: number } and answers { count: "one" }, breaking its own contract.',
      inputSchema: {},
      outputSchema: { count: z.number() },
      annotations: { title: 'Off-schema answer', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => ({ ...structuredResult({ count: 1 }), _meta: { [OFF_SCHEMA_RESULT_MARKER]: true } }),
  );

  server.registerTool(
    'reject_params',
    {
      description:
        'Answers with a JSON-RPC error -32602 (invalid params) whose message is `message`, as a server built on the ' +
        'low-level SDK does when it refuses arguments.',
      inputSchema: { message: z.string() },
      annotations: { title: 'Refuse arguments', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ message }) => ({ ...textResult('replaced by a JSON-RPC error'), _meta: { [INVALID_PARAMS_MARKER]: message } }),
  );
}
