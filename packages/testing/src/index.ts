// @manifold/testing: the shared harness for integration tests (real MCP servers, Temporal and Postgres).
export { repoRoot } from './repo-root';
export { freePort } from './free-port';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
export { FIXTURE_SERVER_METADATA, fixtureStdioCommand, startFixtureHttpServer } from './fixture-process';
export type { FixtureHttpServerOptions, RunningHttpServer } from './fixture-process';
export { startEverythingHttpServer } from './everything-server';
export { resolveTemporalCli, startTemporalTestServer } from './temporal';
export type { TemporalTestServer } from './temporal';
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { sha256Hex } from './sha256';
export { rejectionOf } from './rejection';
export { MCP_SCOPE, startOAuthServer } from './oauth-server';
export type { GrantType, OAuthServerOptions, OAuthTestClient, RunningOAuthServer } from './oauth-server';
export { startProtectedMcpServer } from './protected-mcp-server';
export type { ProtectedMcpServerOptions, RunningProtectedMcpServer } from './protected-mcp-server';
