// Serves the fixture over Streamable HTTP on node:http: stateful sessions (one McpServer each), JSON
// responses, endpoint /mcp, an optional required-header gate, and header fingerprints of every tool call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { corruptMarkedResults } from './malformed';
import { createFixtureServer } from './server';
import type { FixtureState } from './state';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RequiredHeader {
  name: string;
  value: string;
}

export interface FixtureHttpOptions {
  port: number;
  state: FixtureState;
  requiredHeader?: RequiredHeader;
  /** Runs first on every request; returns true when it answered (e.g. 401, or a metadata document). */
  gate?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

export interface FixtureHttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** The HTTP exchange a tool call arrived on, so `crash` can destroy exactly that socket. */
const currentExchange = new AsyncLocalStorage<{ req: IncomingMessage }>();

/** Parses FIXTURE_REQUIRE_HEADER, written as `Header-Name: value`. */
export function parseRequiredHeader(spec: string): RequiredHeader {
  const colon = spec.indexOf(':');
  const name = spec.slice(0, colon).trim();
  if (colon <= 0 || !name) throw new Error(`FIXTURE_REQUIRE_HEADER must look like "Header-Name: value", got "${spec}"`);
  return { name, value: spec.slice(colon + 1).trim() };
}

export async function serveHttp({ port, state, requiredHeader, gate }: FixtureHttpOptions): Promise<FixtureHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const newSession = async (): Promise<StreamableHTTPServerTransport> => {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = createFixtureServer({
      state,
      hooks: {
        crash: () => {
          const exchange = currentExchange.getStore();
          if (!exchange) throw new Error('crash: this call did not arrive on an HTTP request');
          // Destroying the socket mid-request is what a crashing HTTP server looks like to the client. The
          // session itself lives on; the error result McpServer makes of this throw has nowhere to go.
          exchange.req.socket.destroy();
          throw new Error('crashed: the socket was destroyed');
        },
      },
    });
    await server.connect(corruptMarkedResults(transport));
    return transport;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (gate && (await gate(req, res, url))) return;
    if (url.pathname !== MCP_PATH) return sendJson(res, 404, { error: 'not_found', message: `The MCP endpoint is ${MCP_PATH}` });
    if (requiredHeader && req.headers[requiredHeader.name.toLowerCase()] !== requiredHeader.value) {
      return sendJson(res, 401, { error: 'unauthorized', message: `Missing or wrong ${requiredHeader.name} header` });
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      res.setHeader('Allow', 'GET, POST, DELETE');
      return sendJson(res, 405, rpcError(-32000, 'Method not allowed'));
    }

    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        return sendJson(res, 400, rpcError(-32700, `Parse error: ${(error as Error).message}`));
      }
      for (const tool of toolCallNames(body)) state.recordHeaders(tool, req.headers);
    }

    const sessionId = req.headers['mcp-session-id'];
    let transport: StreamableHTTPServerTransport | undefined;
    if (typeof sessionId === 'string') {
      transport = sessions.get(sessionId);
      if (!transport) return sendJson(res, 404, rpcError(-32001, 'Session not found'));
    } else if (req.method === 'POST' && isInitializeRequest(body)) {
      transport = await newSession();
    } else {
      return sendJson(res, 400, rpcError(-32000, 'Bad Request: no valid session ID provided'));
    }
    const active = transport;
    await currentExchange.run({ req }, () => active.handleRequest(req, res, body));
  };

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, rpcError(-32603, `Internal error: ${(error as Error).message}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => resolve());
  });
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('The HTTP server has no TCP address');

  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}${MCP_PATH}`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function toolCallNames(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const names: string[] = [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method === 'tools/call' && typeof params?.name === 'string') names.push(params.name);
  }
  return names;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
