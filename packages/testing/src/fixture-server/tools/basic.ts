// Deterministic happy-path and failure tools: echo, fail, slow.
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { errorResult, structuredResult, textResult } from './results';

export function registerBasicTools(server: McpServer): void {
  server.registerTool(
    'echo',
    {
      description: 'Returns `message` unchanged, as text content and as structured content { message }.',
      inputSchema: { message: z.string().describe('Text to send back') },
      outputSchema: { message: z.string() },
      annotations: { title: 'Echo', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ message }) => ({ ...structuredResult({ message }), content: [{ type: 'text', text: message }] }),
  );

  server.registerTool(
    'fail',
    {
      description: 'Always fails: returns a tool error (isError: true) whose text is `message`.',
      inputSchema: { message: z.string().describe('The error text to return') },
      annotations: { title: 'Always fail', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ message }) => errorResult(message),
  );

  server.registerTool(
    'slow',
    {
      description: 'Waits `ms` milliseconds, then returns "slept N ms". A cancelled request stops waiting at once.',
      inputSchema: { ms: z.number().int().min(0).max(600_000).describe('How long to wait, in milliseconds') },
      annotations: { title: 'Slow', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ ms }, extra) => {
      await sleep(ms, undefined, { signal: extra.signal });
      return textResult(`slept ${ms} ms`);
    },
  );
}
