// A web process without a Next build: serves the app's real `/api` route handlers (src/app/api/**/route.ts) over
// node:http, matched by the same file-system patterns Next uses. Tests that need several independent web
// processes (scale-out, killing one mid-load) start this with tsx; configuration comes from the environment, as
// for `next start`. Pages, the proxy and Next's response headers are not served.
//
//   node --conditions=react-server --import tsx test/route-server.ts --port 0     (cwd apps/web)
//
// `react-server` makes the `server-only` guard resolve to its empty module, as inside Next's server bundle;
// tsx resolves the app's `@/` alias from apps/web/tsconfig.json. Prints `listening on http://127.0.0.1:<port>`.
import { readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const APP_DIR = fileURLToPath(new URL('../src/app/', import.meta.url));
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Route {
  /** e.g. ['api', 'v1', 'runs', '[id]'] */
  segments: string[];
  file: string;
}

/** Every route.ts under src/app/api, static segments before dynamic ones so `/runs/import` beats `/runs/[id]`. */
function discoverRoutes(dir = join(APP_DIR, 'api')): Route[] {
  const routes: Route[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) routes.push(...discoverRoutes(path));
    else if (name === 'route.ts') routes.push({ segments: relative(APP_DIR, dir).split(sep), file: path });
  }
  const dynamicCount = (route: Route) => route.segments.filter((s) => s.startsWith('[')).length;
  return routes.sort((a, b) => dynamicCount(a) - dynamicCount(b));
}

function match(route: Route, parts: string[]): Record<string, string> | null {
  if (route.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const part = parts[i]!;
    // Catch-all segments ([...nextauth]) belong to Auth.js pages, which need Next itself: not served here.
    if (segment.startsWith('[...')) return null;
    if (segment.startsWith('[')) params[segment.slice(1, -1)] = decodeURIComponent(part);
    else if (segment !== part) return null;
  }
  return params;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const routes = discoverRoutes();
  const modules = new Map<string, Promise<Record<string, Handler>>>();
  const load = (file: string) => {
    let loaded = modules.get(file);
    if (!loaded) modules.set(file, (loaded = import(file) as Promise<Record<string, Handler>>));
    return loaded;
  };

  const server = createServer((req, res) => {
    const handle = async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean);
      for (const route of routes) {
        const params = match(route, parts);
        if (!params) continue;
        const module = await load(route.file);
        const handler = METHODS.includes(req.method as (typeof METHODS)[number]) ? module[req.method!] : undefined;
        if (!handler) return send(res, new Response(null, { status: 405 }));
        return send(res, await handler(toRequest(req, `http://${req.headers.host ?? '127.0.0.1'}`), { params: Promise.resolve(params) }));
      }
      return send(res, Response.json({ title: 'Not found' }, { status: 404 }));
    };
    handle().catch((error: unknown) => {
      process.stderr.write(`route server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(values.port), '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the route server has no TCP address');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`route server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
