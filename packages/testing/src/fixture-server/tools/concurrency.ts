// Tools that let tests measure how a client schedules calls: in-flight counts per key and start times.
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FixtureState } from '../state';
import { structuredResult } from './results';

const DEFAULT_KEY = 'default';

export function registerConcurrencyTools(server: McpServer, state: FixtureState): void {
  server.registerTool(
    'concurrency',
    {
      description:
        'Counts itself as in flight for `key`, waits `ms`, then returns { maxInFlight, inFlightAtStart, calls } for ' +
        'that key. inFlightAtStart includes this call (a lone call sees 1); calls counts every call so far.',
      inputSchema: {
        ms: z.number().int().min(0).max(600_000).describe('How long the call stays in flight, in milliseconds'),
        key: z.string().min(1).optional().describe(`Counter name (default "${DEFAULT_KEY}")`),
      },
      outputSchema: { maxInFlight: z.number().int(), inFlightAtStart: z.number().int(), calls: z.number().int() },
      annotations: { title: 'Concurrency probe', readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ ms, key = DEFAULT_KEY }, extra) => {
      const inFlightAtStart = state.beginConcurrent(key);
      try {
        await sleep(ms, undefined, { signal: extra.signal });
      } finally {
        state.endConcurrent(key);
      }
      const { maxInFlight, calls } = state.concurrencyStats(key);
      return structuredResult({ maxInFlight, inFlightAtStart, calls });
    },
  );

  server.registerTool(
    'concurrency_stats',
    {
      description:
        'Reports, for `key`, the highest number of concurrent `concurrency` calls seen, how many were made, and ' +
        'when each started (ms since the epoch), so tests can check concurrency caps and rate limits.',
      inputSchema: { key: z.string().min(1).optional().describe(`Counter name (default "${DEFAULT_KEY}")`) },
      outputSchema: { maxInFlight: z.number().int(), calls: z.number().int(), timestamps: z.array(z.number()) },
      annotations: { title: 'Concurrency statistics', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ key = DEFAULT_KEY }) => {
      const { maxInFlight, calls, timestamps } = state.concurrencyStats(key);
      return structuredResult({ maxInFlight, calls, timestamps: [...timestamps] });
    },
  );
}
