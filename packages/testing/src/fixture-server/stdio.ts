// Serves the fixture over stdio: one session for the life of the process.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { corruptMarkedResults } from './malformed';
import { createFixtureServer } from './server';
import type { FixtureState } from './state';

export async function serveStdio(state: FixtureState): Promise<void> {
  const server = createFixtureServer({
    state,
    hooks: {
      // Exit before any answer is written: the client sees its transport close mid-call.
      crash: () => process.exit(1),
    },
  });
  await server.connect(corruptMarkedResults(new StdioServerTransport()));
}
