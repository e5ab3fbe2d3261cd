import { describe, expect, it } from 'vitest';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { classifyError, classifyToolErrorResult } from './errors';

describe('classifyError', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a request timeout', new McpError(ErrorCode.RequestTimeout, 'Request timed out'), 'timeout'],
    ['a closed connection', new McpError(ErrorCode.ConnectionClosed, 'Connection closed'), 'transport_error'],
    ['an unknown tool', new McpError(ErrorCode.InvalidParams, 'Tool nope not found'), 'not_found'],
    ['bad parameters', new McpError(ErrorCode.InvalidParams, 'Invalid arguments for tool echo'), 'invalid_arguments'],
    ['a -32602 that names a missing field', new McpError(ErrorCode.InvalidParams, 'property "path" not found in arguments'), 'invalid_arguments'],
    ['a disabled tool', new McpError(ErrorCode.InvalidParams, 'Tool echo disabled'), 'not_found'],
    [
      'structured content that fails the tool outputSchema (the SDK client says -32602 too)',
      new McpError(ErrorCode.InvalidParams, "Structured content does not match the tool's output schema: data/count must be number"),
      'protocol_error',
    ],
    [
      'a missing structured content of a tool with an outputSchema',
      new McpError(ErrorCode.InvalidRequest, 'Tool echo has an output schema but did not return structured content'),
      'protocol_error',
    ],
    ['an unknown method', new McpError(ErrorCode.MethodNotFound, 'Method not found'), 'not_found'],
    ['an internal JSON-RPC error', new McpError(ErrorCode.InternalError, 'boom'), 'protocol_error'],
    ['a result that fails the schema', z.object({ content: z.array(z.unknown()) }).safeParse({ content: 'x' }).error, 'protocol_error'],
    ['an aborted request', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout'],
    ['a refused connection', new TypeError('fetch failed'), 'transport_error'],
    ['an HTTP 5xx whose body reads like a parse error', new StreamableHTTPError(502, 'Error POSTing to endpoint: Parse error'), 'transport_error'],
  ];

  it.each(cases)('maps %s', (_name, error, expected) => {
    const classified = classifyError(error, 'tools/call echo');
    expect(classified.errorClass).toBe(expected);
    expect(classified.message.startsWith('tools/call echo')).toBe(true);
  });
});

describe('classifyToolErrorResult', () => {
  const cases: Array<[string, string, string]> = [
    ['a tool reporting its own failure', 'disk full', 'tool_error'],
    ['text that merely mentions the code', 'upstream said MCP error -32602: nope', 'tool_error'],
    ['an SDK server refusing arguments', 'MCP error -32602: Input validation error: Invalid arguments for tool echo: expected string', 'invalid_arguments'],
    ['an SDK server refusing too many elements', 'MCP error -32602: Invalid arguments for tool echo: arguments contain more than the maximum', 'invalid_arguments'],
    ['an SDK server breaking its own outputSchema', 'MCP error -32602: Output validation error: Invalid structured content for tool echo', 'protocol_error'],
    ['an SDK server without the tool', 'MCP error -32602: Tool nope not found', 'not_found'],
  ];

  it.each(cases)('maps %s', (_name, text, expected) => {
    expect(classifyToolErrorResult(text)).toBe(expected);
  });
});
