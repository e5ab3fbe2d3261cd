// Makes the answers of the `malformed`, `off_schema` and `reject_params` tools what McpServer cannot send: a
// result that violates the CallToolResult schema, structured content that violates the tool's own outputSchema,
// and a JSON-RPC -32602 error response (McpServer would wrap it in an isError result).
//
// Why at the transport: McpServer cannot send a malformed result. Server.setRequestHandler wraps the
// tools/call handler and validates its return value against CallToolResultSchema, turning a bad result into
// a JSON-RPC error instead. So the tool returns a valid placeholder tagged with a `_meta` marker, and this
// wrapper rewrites exactly those responses as they leave through the transport. Every other message, and
// the SDK's own validation, stay untouched; it works the same for stdio and Streamable HTTP.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const MALFORMED_RESULT_MARKER = 'manifold.fixture/malformed';
export const OFF_SCHEMA_RESULT_MARKER = 'manifold.fixture/off-schema';
/** Its value is the message of the -32602 error sent instead of the result. */
export const INVALID_PARAMS_MARKER = 'manifold.fixture/invalid-params';

export function corruptMarkedResults<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(corrupt(message), options);
  return transport;
}

function corrupt(message: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in message)) return message;
  const meta = message.result._meta as Record<string, unknown> | undefined;
  if (typeof meta?.[INVALID_PARAMS_MARKER] === 'string')
    return { jsonrpc: '2.0', id: message.id, error: { code: -32602, message: meta[INVALID_PARAMS_MARKER] } };
  if (meta?.[OFF_SCHEMA_RESULT_MARKER] === true)
    return { ...message, result: { content: [{ type: 'text', text: '{"count":"one"}' }], structuredContent: { count: 'one' } } };
  if (meta?.[MALFORMED_RESULT_MARKER] !== true) return message;
  // `content` must be an array of content blocks; a string breaks the schema.
  return { ...message, result: { content: 'not-an-array' } as unknown as typeof message.result };
}
