// Runs the reference MCP server from npm (@modelcontextprotocol/server-everything) over Streamable HTTP.
import { connect } from 'node:net';
import { binPath, repoRoot } from './repo-root';
import { spawnGroup } from './child-processes';
import { freePort } from './free-port';
import type { RunningHttpServer } from './fixture-process';
import { waitFor } from './wait-for';

const READY_TIMEOUT_MS = 30_000;

/** Starts `mcp-server-everything streamableHttp` with PORT set to a free port; resolves once the port accepts connections. */
export async function startEverythingHttpServer(): Promise<RunningHttpServer> {
  const port = await freePort();
  const server = spawnGroup(binPath('mcp-server-everything'), ['streamableHttp'], {
    cwd: repoRoot(),
    env: { ...process.env, PORT: String(port) },
  });
  try {
    const exitedEarly = new AbortController();
    void server.exited.then(() =>
      exitedEarly.abort(new Error(`mcp-server-everything exited before it listened. Output:\n${server.outputTail()}`)),
    );
    await waitFor(() => accepts(port), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 50,
      description: `mcp-server-everything to accept connections on port ${port}`,
      signal: exitedEarly.signal,
    });
    return { url: `http://127.0.0.1:${port}/mcp`, port, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
