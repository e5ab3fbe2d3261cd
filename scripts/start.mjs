// `npm start` (`--dev` for next dev): prepares, then runs Postgres, Temporal, the worker and the web app until Ctrl-C.
import path from 'node:path';
import { DATA_DIR, portSetting } from './lib/env.mjs';
import { runMain } from './lib/lifecycle.mjs';
import { assertPortsFree } from './lib/ports.mjs';
import { prepare } from './lib/prepare.mjs';
import { firstUnexpectedExit } from './lib/proc.mjs';
import { UserError, box, color, formatDuration, step } from './lib/report.mjs';
import { buildWeb, startStack } from './lib/stack.mjs';

const USAGE = 'usage: npm start [-- --dev]';

runMain(async () => {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--dev');
  if (unknown.length) throw new UserError(`unknown option ${unknown.join(' ')}; ${USAGE}`);
  const dev = args.includes('--dev');
  const started = performance.now();

  const ports = {
    web: portSetting('PORT'),
    temporal: portSetting('TEMPORAL_PORT'),
    temporalUi: portSetting('TEMPORAL_UI_PORT'),
    temporalHttp: portSetting('TEMPORAL_HTTP_PORT'),
    temporalMetrics: portSetting('TEMPORAL_METRICS_PORT'),
    workerHealth: portSetting('WORKER_HEALTH_PORT'),
    demoMcp: portSetting('MCP_DEMO_PORT'),
  };
  await assertPortsFree([
    { port: ports.web, what: 'web app', setting: 'PORT' },
    { port: ports.temporal, what: 'Temporal gRPC', setting: 'TEMPORAL_PORT' },
    { port: ports.temporalUi, what: 'Temporal Web UI', setting: 'TEMPORAL_UI_PORT' },
    { port: ports.temporalHttp, what: 'Temporal HTTP API', setting: 'TEMPORAL_HTTP_PORT' },
    { port: ports.temporalMetrics, what: 'Temporal metrics', setting: 'TEMPORAL_METRICS_PORT' },
    { port: ports.workerHealth, what: 'worker health endpoint', setting: 'WORKER_HEALTH_PORT' },
    { port: ports.demoMcp, what: 'demo MCP server (server-everything over HTTP)', setting: 'MCP_DEMO_PORT' },
  ]);

  console.log(color.bold(`Starting Manifold${dev ? ' (development mode)' : ''}`));
  const prepared = await prepare();
  if (!dev) await step('web build', () => buildWeb({ output: 'quiet' }).then(() => 'turbo run build --filter=@manifold/web'));

  const stack = await startStack({
    databaseUrl: prepared.databaseUrl,
    temporalCli: prepared.temporalCli,
    ports,
    temporalDbFile: path.join(DATA_DIR, 'temporal', 'temporal.db'),
    dev,
  });

  box([
    color.green(`Manifold is running (ready in ${formatDuration(performance.now() - started)})`),
    '',
    `App          ${color.cyan(stack.appUrl)}`,
    `Temporal UI  ${color.cyan(stack.temporalUiUrl)}`,
    `Temporal     ${stack.temporalAddress} (namespace default)`,
    `Demo MCP     ${stack.demoMcpUrl} (catalog: server-everything-http)`,
    `Database     ${prepared.postgres ? `embedded Postgres on port ${prepared.postgres.port}` : 'DATABASE_URL'}`,
    '',
    'Ctrl-C to stop',
  ]);

  // Runs until Ctrl-C (the lifecycle stops everything) or until a child dies on its own.
  const watched = prepared.postgres?.process ? [prepared.postgres.process] : [];
  await Promise.race([stack.failed, firstUnexpectedExit(watched)]);
  return 1;
});
