import { describe, expect, it } from 'vitest';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { classifyError } from './errors';

describe('classifyError', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a request timeout', new McpError(ErrorCode.RequestTimeout, 'Request timed out'), 'timeout'],
    ['a closed connection', new McpError(ErrorCode.ConnectionClosed, 'Connection closed'), 'transport_error'],
    ['an unknown tool', new McpError(ErrorCode.InvalidParams, 'Tool nope not found'), 'not_found'],
    ['bad parameters', new McpError(ErrorCode.InvalidParams, 'Invalid arguments for tool echo'), 'invalid_arguments'],
    ['an unknown method', new McpError(ErrorCode.MethodNotFound, 'Method not found'), 'not_found'],
    ['an internal JSON-RPC error', new McpError(ErrorCode.InternalError, 'boom'), 'protocol_error'],
    ['a result that fails the schema', z.object({ content: z.array(z.unknown()) }).safeParse({ content: 'x' }).error, 'protocol_error'],
    ['an aborted request', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout'],
    ['a refused connection', new TypeError('fetch failed'), 'transport_error'],
  ];

  it.each(cases)('maps %s', (_name, error, expected) => {
    const classified = classifyError(error, 'tools/call echo');
    expect(classified.errorClass).toBe(expected);
    expect(classified.message.startsWith('tools/call echo')).toBe(true);
  });
});
