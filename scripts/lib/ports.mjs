// Port checks: fail early with one line per busy port, and find free ports for throw-away stacks.
import net from 'node:net';
import { UserError } from './report.mjs';

/** Resolves true when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Throws one UserError naming every busy port and the setting that moves it.
 * @param {Array<{ port: number, what: string, setting: string }>} wanted
 */
export async function assertPortsFree(wanted) {
  const busy = [];
  for (const entry of wanted) if (!(await isPortFree(entry.port))) busy.push(entry);
  if (busy.length === 0) return;
  const lines = busy.map(({ port, what, setting }) => `port ${port} is in use (${what}); set ${setting}=<free port> or stop what uses it`);
  throw new UserError(lines.join('\nerror: '));
}

/** Asks the OS for `count` distinct free ports on 127.0.0.1 (held open together, so none repeats). */
export async function findFreePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
