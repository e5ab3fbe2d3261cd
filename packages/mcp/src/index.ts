export { McpPool } from './pool';
export type { CallOptions, PoolEvent, PoolOptions } from './pool';
export { describeSpec } from './connection-spec';
export type { ConnectionSpec, HttpSpec, StdioSpec } from './connection-spec';
export { classifyError, McpCallError } from './errors';
export { resolveProgram } from './resolve-program';
export type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
