// Reads the fixture server's own counters from outside any worker: what the server saw is the evidence a test
// compares with what Manifold recorded (calls that reached it, and the most it ever had in flight).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface FixtureConcurrencyStats {
  /** Every `concurrency` call on the key that reached the server, repeats included. */
  calls: number;
  /** The most `concurrency` calls on the key the server had in flight at once. */
  maxInFlight: number;
  /** ms since the epoch at which each call started, in arrival order. */
  timestamps: number[];
}

/** Asks a fixture HTTP server (`startFixtureHttpServer`) for its `concurrency_stats` on `key`, over a session of its own. */
export async function readFixtureConcurrency(url: string, key: string): Promise<FixtureConcurrencyStats> {
  const client = new Client({ name: 'manifold-test-observer', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'concurrency_stats', arguments: { key } });
    if (result.isError || !result.structuredContent) throw new Error(`concurrency_stats failed: ${JSON.stringify(result.content)}`);
    return result.structuredContent as unknown as FixtureConcurrencyStats;
  } finally {
    // Ends the session on the server too (a test may poll this many times).
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}
