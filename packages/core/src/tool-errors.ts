// How a tool call can fail. The worker throws Temporal failures whose `type` is one of these, and a step's
// retry policy names the ones it will not retry.

export const TOOL_ERROR_CLASSES = [
  'tool_error', // the server answered with isError: true
  'transport_error', // connection refused, dropped, process exited
  'timeout', // no answer within the step's timeout
  'protocol_error', // a JSON-RPC error or a malformed response
  'invalid_arguments', // the arguments do not match the tool's input schema
  'not_found', // unknown installation or tool
  'circuit_open',
  'rate_limited',
  'network_blocked', // the SSRF guard refused the server's address (private, loopback, metadata …)
  'outcome_unknown', // a non-idempotent call was not repeated because an earlier attempt's outcome is unknown
  'auth_error', // OAuth: the authorization server refused the client or the refresh token (reconnect the server)
  'config_error', // the worker cannot act as configured (e.g. no master keyring, a key missing from it)
  'tools_held', // the live tool definitions differ from the approved set (pinning): held until a team admin approves
] as const;
// An attempt stopped by the run's cancellation is recorded as `cancelled` (not a failure class: nothing retries it).

export type ToolErrorClass = (typeof TOOL_ERROR_CLASSES)[number];

/** Failures that repeating the same call cannot fix. */
export const NEVER_RETRIED: readonly ToolErrorClass[] = [
  'invalid_arguments',
  'not_found',
  'network_blocked',
  'outcome_unknown',
  'auth_error',
  'config_error',
  'tools_held',
];
