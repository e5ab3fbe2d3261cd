// Launchers for the fixture MCP server as a separate process: the stdio argv and a managed HTTP instance.
import { fixtureMainPath, binPath, repoRoot } from './repo-root';
import { spawnGroup } from './child-processes';

const READY_TIMEOUT_MS = 30_000;

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:40123/mcp */
  url: string;
  port: number;
  /** Kills the server's process group and waits until it has exited. */
  stop(): Promise<void>;
}

export interface FixtureHttpServerOptions {
  /** Extra environment variables for the server (e.g. FIXTURE_REQUIRE_HEADER, FIXTURE_STATE_DIR). */
  env?: Record<string, string>;
}

/**
 * The fixture's declarations in a catalog entry's server.json shape: the variables its tools and tests read
 * and its `--token` argument. An installation can set only these (and never a loader variable).
 */
export const FIXTURE_SERVER_METADATA = {
  packages: [
    {
      registryType: 'npm',
      identifier: 'manifold-fixture',
      transport: { type: 'stdio' },
      packageArguments: [{ type: 'named', name: '--token', description: 'A credential passed as an argument.', isSecret: true }],
      environmentVariables: [
        { name: 'MODE', description: 'Any value; read back with the env tool.' },
        { name: 'API_KEY', description: 'A credential; read back as a fingerprint.', isSecret: true },
        { name: 'FIXTURE_POISON_DESCRIPTION', description: 'Set to change a tool description (tool pinning).' },
        { name: 'FIXTURE_ECHO_FAIL_EVERY', description: 'Every n-th echo fails.', format: 'number' },
        { name: 'FIXTURE_LATENCY_MS', description: 'Added latency per call.', format: 'number' },
      ],
    },
  ],
} as const;

/** Absolute argv that runs the fixture over stdio: [tsx, main.ts, 'stdio', --set FIXTURE_X=v ...]. */
export function fixtureStdioCommand(settings: Record<string, string> = {}): string[] {
  return [binPath('tsx'), fixtureMainPath(), 'stdio', ...Object.entries(settings).flatMap(([name, value]) => ['--set', `${name}=${value}`])];
}

/** Starts the fixture in http mode on a free port (chosen by the server itself) and waits until it listens. */
export async function startFixtureHttpServer(options: FixtureHttpServerOptions = {}): Promise<RunningHttpServer> {
  const server = spawnGroup(binPath('tsx'), [fixtureMainPath(), 'http', '--port', '0'], {
    cwd: repoRoot(),
    env: { ...process.env, ...options.env },
  });
  try {
    const match = await server.waitForLine(/listening on (http:\/\/127\.0\.0\.1:(\d+)\/mcp)/, READY_TIMEOUT_MS, 'The fixture MCP server');
    return { url: match[1] as string, port: Number(match[2]), stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
