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

/** Maps what the SDK throws to one of our error classes. */
export function classifyError(error: unknown, context: string): McpCallError {
  if (error instanceof McpCallError) return error;
  if (error instanceof McpError) {
    switch (error.code) {
      case ErrorCode.RequestTimeout:
        return new McpCallError('timeout', `${context}: no answer in time (${error.message})`, { cause: error });
      case ErrorCode.ConnectionClosed:
        return new McpCallError('transport_error', `${context}: the connection closed (${error.message})`, { cause: error });
      case ErrorCode.InvalidParams:
        return /not found|unknown tool/i.test(error.message)
          ? new McpCallError('not_found', `${context}: ${error.message}`, { cause: error })
          : new McpCallError('invalid_arguments', `${context}: ${error.message}`, { cause: error });
      case ErrorCode.MethodNotFound:
        return new McpCallError('not_found', `${context}: ${error.message}`, { cause: error });
      default:
        return new McpCallError('protocol_error', `${context}: ${error.message}`, { cause: error });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return new McpCallError('timeout', `${context}: ${message}`, { cause: error });
  if (error instanceof Error && (error.name === 'ZodError' || /invalid (input|output|result)|parse/i.test(message)))
    return new McpCallError('protocol_error', `${context}: malformed response (${message})`, { cause: error });
  return new McpCallError('transport_error', `${context}: ${message}`, { cause: error });
}
