// The repository's .env (tiny parser, dev defaults written once) and the settings every script computes the same way.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './report.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENV_FILE = path.join(ROOT, '.env');
export const DATA_DIR = path.join(ROOT, '.data');
export const BIN_DIR = path.join(ROOT, 'node_modules', '.bin');

const DEFAULT_PORTS = {
  PORT: 3000,
  TEMPORAL_PORT: 7233,
  TEMPORAL_UI_PORT: 8233,
  // Fixed (the dev server would pick random ones) so the worker can refuse them to every MCP server.
  TEMPORAL_HTTP_PORT: 7243,
  TEMPORAL_METRICS_PORT: 7244,
  WORKER_HEALTH_PORT: 3101,
  EMBEDDED_PG_PORT: 54329,
  MCP_DEMO_PORT: 3001,
};
export const TEMPORAL_NAMESPACE = 'default';
export const TEMPORAL_TASK_QUEUE = 'manifold';

/** Parses KEY=VALUE lines: `export ` prefix, comments, single quotes (literal) and double quotes (\n escapes). */
export function parseDotenv(text) {
  const values = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match;
    let value = rest;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    values[key] = value;
  }
  return values;
}

/** Copies .env values into process.env; variables already set in the environment win. */
export function loadDotenv(file = ENV_FILE) {
  if (!existsSync(file)) return {};
  const values = parseDotenv(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(values)) if (process.env[key] === undefined) process.env[key] = value;
  return values;
}

const DEV_SECRETS = {
  AUTH_SECRET: () => randomBytes(32).toString('base64url'),
  MANIFOLD_MASTER_KEYS: () => `dev1:${randomBytes(32).toString('base64')}`,
};

/** Writes a development .env, or adds the secrets it lacks; never changes a value. Returns the keys added. */
export function ensureDevEnvFile(file = ENV_FILE) {
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, 'utf8') : '';
  const present = parseDotenv(text);
  const missing = Object.keys(DEV_SECRETS).filter((key) => !present[key]);
  if (missing.length === 0) return { created: false, added: [] };
  const header = exists
    ? '\n# Added by npm run setup (development values)\n'
    : '# Development settings written by `npm run setup`; never commit this file.\n' +
      '# MANIFOLD_MASTER_KEYS is a keyring "id:base64key[,id:base64key...]", newest last.\n';
  const separator = text && !text.endsWith('\n') ? '\n' : '';
  const lines = missing.map((key) => `${key}=${DEV_SECRETS[key]()}`).join('\n');
  writeFileSync(file, `${text}${separator}${header}${lines}\n`, { mode: 0o600 });
  loadDotenv(file);
  return { created: !exists, added: missing };
}

/** A port from the environment (or its default), validated. */
export function portSetting(name) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[name];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`${name} must be a port number (1-65535), got "${raw}"`);
  return port;
}

export function embeddedDatabaseUrl(database, port = portSetting('EMBEDDED_PG_PORT')) {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable DATABASE_URL>';
  }
}

/** The environment for child processes: ours, with node_modules/.bin first on PATH and telemetry off. */
export function childEnv(extra = {}) {
  return {
    ...process.env,
    PATH: [BIN_DIR, process.env.PATH].filter(Boolean).join(path.delimiter),
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}
