// Starts Temporal, the worker and the web app as one stack, in order, each waited for (npm start and e2e).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, childEnv } from './env.mjs';
import { atCleanup } from './lifecycle.mjs';
import { firstUnexpectedExit, httpStatus, runOrFail, startProcess, tcpConnects, waitUntil } from './proc.mjs';
import { startTemporalDevServer } from './temporal.mjs';

const WORKER_MAIN = path.join('apps', 'worker', 'src', 'main.ts');
const WEB_HOST = '127.0.0.1';

/** Builds the web app (and what it depends on) through turbo, which skips unchanged work. */
export async function buildWeb({ output = 'prefix' } = {}) {
  await runOrFail('build', 'turbo', ['run', 'build', '--filter=@manifold/web'], {
    output,
    env: childEnv({ NODE_ENV: 'production' }),
    failMessage: 'building the web app failed; fix the error above (npm run build -w @manifold/web shows it alone)',
  });
}

/**
 * Starts the stack and resolves once every part answers its health check. On a failure, or on Ctrl-C via
 * the lifecycle cleanup, whatever was started is stopped again (web, worker, then Temporal).
 * @param {object} options
 * @param {string} options.databaseUrl
 * @param {string} options.temporalCli path of the temporal binary
 * @param {{ web: number, temporal: number, temporalUi: number | null, temporalHttp?: number | null, temporalMetrics?: number | null, workerHealth: number, demoMcp?: number | null }} options.ports
 *   temporalUi null runs Temporal without its Web UI; demoMcp runs the reference MCP server over Streamable
 *   HTTP on that port (the catalog's `server-everything-http` entry points there), null skips it
 * @param {string | null} [options.temporalDbFile] null keeps Temporal's state in memory
 * @param {boolean} [options.dev] next dev instead of next start (the app must be built for next start)
 * @param {'prefix' | 'quiet'} [options.output] how the children's output is shown
 * @param {string} [options.logDir] also write each child's output to <logDir>/<name>.log
 * @param {Record<string, string>} [options.env] more environment for worker and web
 */
export async function startStack({
  databaseUrl,
  temporalCli,
  ports,
  temporalDbFile = null,
  dev = false,
  output = 'prefix',
  logDir,
  env = {},
}) {
  if (logDir) mkdirSync(logDir, { recursive: true });
  const logFile = (name) => (logDir ? path.join(logDir, `${name}.log`) : undefined);
  const services = [];
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      for (const service of [...services].reverse()) await service.stop();
    })();
    return stopping;
  };
  const forgetCleanup = atCleanup(stop);

  try {
    const temporal = await startTemporalDevServer({
      cli: temporalCli,
      port: ports.temporal,
      uiPort: ports.temporalUi,
      httpPort: ports.temporalHttp ?? null,
      metricsPort: ports.temporalMetrics ?? null,
      dbFile: temporalDbFile,
      output,
      logFile: logFile('temporal'),
    });
    services.push(temporal);

    if (ports.demoMcp) {
      // The reference server over Streamable HTTP, so the catalog's remote example works out of the box.
      const demo = startProcess('mcp-demo', 'mcp-server-everything', ['streamableHttp'], {
        env: childEnv({ PORT: String(ports.demoMcp) }),
        output,
        logFile: logFile('mcp-demo'),
      });
      services.push(demo);
      await waitUntil(() => tcpConnects('127.0.0.1', ports.demoMcp), {
        what: `the demo MCP server (port ${ports.demoMcp})`,
        timeoutMs: 60_000,
        watched: [demo],
      });
    }

    const serviceEnv = childEnv({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE,
      WORKER_HEALTH_PORT: String(ports.workerHealth),
      // The worker and web app refuse these to every MCP server (protected endpoints), whatever else is allowed.
      PORT: String(ports.web),
      ...(ports.temporalUi ? { TEMPORAL_UI_PORT: String(ports.temporalUi) } : {}),
      ...(ports.temporalHttp ? { TEMPORAL_HTTP_PORT: String(ports.temporalHttp) } : {}),
      ...(ports.temporalMetrics ? { TEMPORAL_METRICS_PORT: String(ports.temporalMetrics) } : {}),
      AUTH_TRUST_HOST: 'true',
      // A local stack talks to MCP servers on this machine (the demo server, test servers): the SSRF guard
      // refuses loopback unless allowed. Set MANIFOLD_ALLOW_LOOPBACK=false to run with the production rule.
      MANIFOLD_ALLOW_LOOPBACK: process.env.MANIFOLD_ALLOW_LOOPBACK ?? 'true',
      // A local stack sandboxes stdio servers where bubblewrap works (the worker warns once where it does not);
      // said explicitly so the web app, built for production, shows the worker's mode.
      MANIFOLD_SANDBOX: process.env.MANIFOLD_SANDBOX ?? (process.env.NODE_ENV === 'production' ? 'required' : 'optional'),
      ...env,
    });

    const worker = startProcess('worker', 'tsx', [WORKER_MAIN], { env: serviceEnv, output, logFile: logFile('worker') });
    services.push(worker);
    const workerHealth = `http://127.0.0.1:${ports.workerHealth}/healthz`;
    await waitUntil(async () => (await httpStatus(workerHealth)) === 200, {
      what: `the worker (GET ${workerHealth} → 200)`,
      timeoutMs: 120_000,
      watched: [temporal, worker],
    });

    const nextArgs = ['--', '-p', String(ports.web), '-H', WEB_HOST];
    const web = startProcess('web', 'npm', ['run', dev ? 'dev' : 'start', '-w', '@manifold/web', ...nextArgs], {
      env: { ...serviceEnv, NODE_ENV: dev ? 'development' : 'production' },
      output,
      logFile: logFile('web'),
    });
    services.push(web);
    const appUrl = `http://${WEB_HOST}:${ports.web}`;
    await waitUntil(async () => (await httpStatus(`${appUrl}/api/health`, 10_000)) === 200, {
      what: `the web app (GET ${appUrl}/api/health → 200)`,
      timeoutMs: dev ? 300_000 : 120_000,
      intervalMs: 500,
      watched: [temporal, worker, web],
    });

    const failed = firstUnexpectedExit(services);
    failed.catch(() => {}); // callers that do not watch must not crash on an unhandled rejection
    return {
      appUrl,
      temporalAddress: temporal.address,
      temporalUiUrl: ports.temporalUi ? `http://127.0.0.1:${ports.temporalUi}` : null,
      demoMcpUrl: ports.demoMcp ? `http://127.0.0.1:${ports.demoMcp}/mcp` : null,
      services,
      /** Rejects when a service exits without being asked to. */
      failed,
      async stop() {
        await stop();
        forgetCleanup();
      },
    };
  } catch (error) {
    await stop();
    forgetCleanup();
    throw error;
  }
}
