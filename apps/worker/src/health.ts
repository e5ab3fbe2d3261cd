// GET /healthz for process supervisors: 200 while the Temporal worker is running.
import http from 'node:http';

export function startHealthServer(port: number, isHealthy: () => { ok: boolean; detail: Record<string, unknown> }) {
  const server = http.createServer((req, res) => {
    if (req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    const { ok, detail } = isHealthy();
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', ...detail }));
  });
  return new Promise<http.Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
