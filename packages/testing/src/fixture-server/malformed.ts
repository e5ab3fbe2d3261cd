// Makes the `malformed` tool's answer violate the CallToolResult schema on the wire.
//
// Why at the transport: McpServer cannot send a malformed result. Server.setRequestHandler wraps the
// tools/call handler and validates its return value against CallToolResultSchema, turning a bad result into
// a JSON-RPC error instead. So the tool returns a valid placeholder tagged with a `_meta` marker, and this
// wrapper rewrites exactly those responses as they leave through the transport. Every other message, and
// the SDK's own validation, stay untouched; it works the same for stdio and Streamable HTTP.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const MALFORMED_RESULT_MARKER = 'manifold.fixture/malformed';

export function corruptMarkedResults<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(corrupt(message), options);
  return transport;
}

function corrupt(message: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in message)) return message;
  const meta = message.result._meta as Record<string, unknown> | undefined;
  if (meta?.[MALFORMED_RESULT_MARKER] !== true) return message;
  // `content` must be an array of content blocks; a string breaks the schema.
  return { ...message, result: { content: 'not-an-array' } as unknown as typeof message.result };
}
