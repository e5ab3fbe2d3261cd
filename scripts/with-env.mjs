// Runs a command with .env and the computed defaults (DATABASE_URL, TEMPORAL_CLI) in its environment:
//   node scripts/with-env.mjs <command> [args...]   (used by the db:* and other root npm scripts)
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { childEnv, embeddedDatabaseUrl, loadDotenv, portSetting } from './lib/env.mjs';
import { tcpConnects } from './lib/proc.mjs';
import { UserError, reportFailure } from './lib/report.mjs';
import { findTemporalCli } from './lib/temporal.mjs';

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new UserError('usage: node scripts/with-env.mjs <command> [args...]');
  loadDotenv();
  if (!process.env.DATABASE_URL) {
    const port = portSetting('EMBEDDED_PG_PORT');
    process.env.DATABASE_URL = embeddedDatabaseUrl('manifold', port);
    if (!(await tcpConnects('127.0.0.1', port))) {
      console.error(
        `note: DATABASE_URL is not set and the embedded Postgres (port ${port}) is not running; start it with npm start in another terminal, or set DATABASE_URL`,
      );
    }
  }
  const cli = findTemporalCli();
  if (cli) process.env.TEMPORAL_CLI = cli.path;

  const child = spawn(command, args, { stdio: 'inherit', env: childEnv() });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`error: cannot run ${command} (${error.message})`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
}

main().catch((error) => process.exit(reportFailure(error)));
