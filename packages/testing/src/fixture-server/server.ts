// Builds one fixture McpServer (one per session); all sessions of a process share one FixtureState.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FixtureState } from './state';
import { registerBasicTools } from './tools/basic';
import { registerConcurrencyTools } from './tools/concurrency';
import { registerEnvironmentTools } from './tools/environment';
import { registerFaultTools, type FaultHooks } from './tools/faults';
import { registerPayloadTools } from './tools/payloads';

export const FIXTURE_SERVER_NAME = 'manifold-fixture';
export const FIXTURE_SERVER_VERSION = '1.0.0';

export interface FixtureServerOptions {
  state: FixtureState;
  hooks: FaultHooks;
}

/** A fixture server not yet connected: wrap its transport with corruptMarkedResults() before connecting. */
export function createFixtureServer({ state, hooks }: FixtureServerOptions): McpServer {
  const server = new McpServer(
    { name: FIXTURE_SERVER_NAME, version: FIXTURE_SERVER_VERSION },
    { instructions: 'Deterministic test fixture for Manifold: every behaviour is chosen by the tool arguments.' },
  );
  registerBasicTools(server);
  registerFaultTools(server, state, hooks);
  registerConcurrencyTools(server, state);
  registerEnvironmentTools(server, state);
  registerPayloadTools(server);
  return server;
}
