export { McpPool } from './pool';
export type { CallOptions, PoolEvent, PoolOptions, PoolSandboxOptions, ProbeSession, ToolGate } from './pool';
export { buildSandboxArgv, hostLayout, programMounts, sandboxEnvironment } from './sandbox/bwrap';
export type { HostLayout, SandboxArgvOptions } from './sandbox/bwrap';
export { probeSandbox } from './sandbox/probe';
export type { SandboxProbe } from './sandbox/probe';
export { describeLimitHit } from './sandbox/limits';
export { describeSpec } from './connection-spec';
export type { AccessTokenSource, ConnectionSpec, HttpSpec, StdioSpec } from './connection-spec';
export { classifyError, classifyToolErrorResult, McpCallError } from './errors';
export { resolveProgram } from './resolve-program';
export type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
export { assertUrlAllowed, guardedFetch, judgeHost, networkPolicyFromSettings, reservedRangeOf } from './network-policy';
export type { HostVerdict, NetworkPolicy, Resolver } from './network-policy';
export {
  createEgressGateway,
  DEFAULT_EGRESS_LIMITS,
  egressForwarderPath,
  normalizeEgressTarget,
  normalizeEgressTargets,
  protectedEndpointsFromSettings,
  SANDBOX_EGRESS_SOCKET,
} from './sandbox/egress';
export type { EgressEvent, EgressGateway, EgressGatewayOptions, EgressLimits, EgressSession } from './sandbox/egress';
export type { EgressTarget, SandboxLimits, SandboxNetwork, SandboxPolicy } from './sandbox/policy';
export { descendantPids, isProcessAlive } from './process-tree';
