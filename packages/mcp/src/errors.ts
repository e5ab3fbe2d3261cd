import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ToolErrorClass } from '@manifold/core';

/** A failed MCP operation with the class that decides whether it is retried. */
export class McpCallError extends Error {
  override readonly name = 'McpCallError';
  constructor(
    readonly errorClass: ToolErrorClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The SDK client's own checks of a result against the tool's outputSchema: the server broke its contract. */
const CLIENT_OUTPUT_CHECK = /Structured content does not match the tool's output schema|Failed to validate structured content/;
const UNKNOWN_TOOL = /\bTool \S+ (not found|disabled)\b|unknown tool/i;

/** Maps what the SDK throws to one of our error classes. */
export function classifyError(error: unknown, context: string): McpCallError {
  if (error instanceof McpCallError) return error;
  if (error instanceof McpError) {
    switch (error.code) {
      case ErrorCode.RequestTimeout:
        return new McpCallError('timeout', `${context}: no answer in time (${error.message})`, { cause: error });
      case ErrorCode.ConnectionClosed:
        return new McpCallError('transport_error', `${context}: the connection closed (${error.message})`, { cause: error });
      // -32602: the server refused the arguments (never retried), or named an unknown tool. The SDK client
      // uses the same code for a result that fails the tool's outputSchema, which is the server's fault.
      case ErrorCode.InvalidParams:
        if (CLIENT_OUTPUT_CHECK.test(error.message))
          return new McpCallError('protocol_error', `${context}: malformed result (${error.message})`, { cause: error });
        return UNKNOWN_TOOL.test(error.message)
          ? new McpCallError('not_found', `${context}: ${error.message}`, { cause: error })
          : new McpCallError('invalid_arguments', `${context}: ${error.message}`, { cause: error });
      case ErrorCode.MethodNotFound:
        return new McpCallError('not_found', `${context}: ${error.message}`, { cause: error });
      default:
        return new McpCallError('protocol_error', `${context}: ${error.message}`, { cause: error });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  // An HTTP 5xx says the server is unwell, whatever its body says (a body like "parse error" is not our parse).
  if (error instanceof StreamableHTTPError && typeof error.code === 'number' && error.code >= 500)
    return new McpCallError('transport_error', `${context}: the server answered HTTP ${error.code} (${message})`, { cause: error });
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return new McpCallError('timeout', `${context}: ${message}`, { cause: error });
  if (error instanceof Error && (error.name === 'ZodError' || /invalid (input|output|result)|parse/i.test(message)))
    return new McpCallError('protocol_error', `${context}: malformed response (${message})`, { cause: error });
  return new McpCallError('transport_error', `${context}: ${message}`, { cause: error });
}

/**
 * The class of an `isError: true` result. Servers built on the SDK's McpServer wrap their JSON-RPC errors in
 * such a result, text "MCP error -32602: …": refused arguments are `invalid_arguments` (not the tool failing),
 * a result that fails the tool's own outputSchema is `protocol_error`, an unknown tool `not_found`.
 */
export function classifyToolErrorResult(text: string): ToolErrorClass {
  const wrapped = /^MCP error -32602: (.*)/s.exec(text.trimStart());
  if (!wrapped) return 'tool_error';
  const said = wrapped[1]!;
  if (/^Output validation error/.test(said)) return 'protocol_error';
  if (/^Tool \S+ (not found|disabled)\b/.test(said)) return 'not_found';
  return 'invalid_arguments';
}
