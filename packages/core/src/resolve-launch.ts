// From a catalog entry's declarations and an installation's config to the exact process a stdio server
// becomes: its argv, its environment and the network targets it may reach. Pure: the worker calls it just
// before a launch (with the secret values) and the services call `checkInstallationConfig` on every change,
// so a config that would not launch is refused when it is written, with the field that is wrong.
import { AppError, validationFailed, type FieldError } from './errors';
import type { InstallationConfig } from './api';
import {
  argumentKey,
  isLoaderVariable,
  launchDeclarationsOf,
  type ArgumentFormat,
  type LaunchDeclarations,
  type PackageArgument,
} from './launch-declarations';
import { substituteSecrets } from './secret-references';

/** Structurally the same as `EgressTarget` of @manifold/mcp's sandbox policy (core depends on nothing of ours). */
export interface EgressTarget {
  host: string;
  port: number;
}

export interface LaunchPlan {
  argv: string[];
  /** Only the declared variables: the pool adds its minimal base environment, never the worker's. */
  env: Record<string, string>;
  egress: EgressTarget[];
}

export interface LaunchEntry {
  command: readonly string[];
  metadata: unknown;
}

export interface LaunchOptions {
  /**
   * The real path of an existing file or folder, or null when nothing is there. Given by the caller that may
   * touch the disk (the worker): a resolved path whose real location leaves the folder (a symlink planted
   * in it) is refused.
   */
  realpath?: (path: string) => string | null;
}

const SECRET_REFERENCE = /\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]{0,63}\s*\}\}/;
const ANY_TEMPLATE = /\{\{/;

type ArgValue = string | number | boolean;

/**
 * Resolves a relative path inside `folder` (an absolute, normalised host path). Lexical and pure: absolute
 * paths, "..", NUL bytes, backslashes and empty values are refused rather than cleaned up, so what the team
 * wrote is either exactly what runs or an error.
 */
export function resolveInFolder(folder: string, value: string): { path: string } | { error: string } {
  if (value.includes('\u0000')) return { error: 'A path cannot contain a NUL byte.' };
  if (value.includes('\\')) return { error: 'Use "/" between folder names.' };
  if (value.trim() === '') return { error: 'Give a path relative to the installation folder, e.g. "." or "data".' };
  if (value.startsWith('/') || value.startsWith('~'))
    return { error: 'Use a path relative to the installation folder; absolute paths are refused.' };
  const segments = value.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { error: 'A path cannot leave the installation folder ("..").' };
  const base = folder.replace(/\/+$/, '');
  return { path: segments.length ? `${base}/${segments.join('/')}` : base };
}

const isInside = (folder: string, candidate: string) => candidate === folder || candidate.startsWith(`${folder.replace(/\/+$/, '')}/`);

/** Refuses a resolved path whose nearest existing ancestor really lies outside the folder (a symlink out). */
function symlinkEscape(folder: string, resolved: string, realpath: NonNullable<LaunchOptions['realpath']>): string | null {
  const realFolder = realpath(folder) ?? folder;
  for (let candidate = resolved; isInside(folder, candidate); candidate = candidate.slice(0, candidate.lastIndexOf('/'))) {
    const real = realpath(candidate);
    if (real !== null) return isInside(realFolder, real) ? null : 'This path leads out of the installation folder through a symlink.';
    if (candidate === folder) break;
  }
  return null;
}

function describeDeclared(declarations: LaunchDeclarations): string {
  const keys = declarations.arguments.filter((a) => a.value === undefined && argumentKey(a)).map(argumentKey);
  return keys.length ? `Declared: ${keys.join(', ')}.` : 'This server declares no arguments.';
}

/** Checks one value against its declaration's format and rules; returns a message or null. */
function checkValue(
  declared: { format?: ArgumentFormat | undefined; choices?: string[] | undefined; isSecret?: boolean | undefined },
  value: unknown,
  options: { isArgument: boolean },
): string | null {
  const format = declared.format ?? 'string';
  if (options.isArgument) {
    if (format === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) return 'Give a number.';
    if (format === 'boolean' && typeof value !== 'boolean') return 'Give true or false.';
    if ((format === 'string' || format === 'filepath') && typeof value !== 'string') return 'Give a string.';
  } else if (typeof value !== 'string') return 'Give a string.';
  const text = String(value);
  if (text.includes('\u0000')) return 'A value cannot contain a NUL byte.';
  if (!options.isArgument && format === 'number' && !/^-?\d+(\.\d+)?$/.test(text)) return 'Give a number.';
  if (!options.isArgument && format === 'boolean' && text !== 'true' && text !== 'false') return 'Give "true" or "false".';
  // A value that reads as a flag would change what the program does, not what the argument says.
  if (options.isArgument && format === 'string' && text.startsWith('-'))
    return 'A value cannot start with "-" (it would be read as a flag).';
  if (declared.choices?.length && !declared.choices.includes(text)) return `Use one of: ${declared.choices.join(', ')}.`;
  if (ANY_TEMPLATE.test(text) && format !== 'string') return 'Secret references go only into string values, never paths or numbers.';
  if (declared.isSecret && !SECRET_REFERENCE.test(text))
    return 'This value is secret: bind a team secret, e.g. "{{ secrets.NAME }}", never the value itself.';
  if (format === 'filepath') {
    const resolved = resolveInFolder('/folder', text);
    if ('error' in resolved) return resolved.error;
  }
  return null;
}

function argumentByKey(declarations: LaunchDeclarations, key: string): PackageArgument | undefined {
  return declarations.arguments.find((a) => argumentKey(a) === key);
}

/**
 * Every problem of an installation's launch settings against the entry's declarations, each with its field
 * path (`config.args.root`, `config.env.LD_PRELOAD`, `config.network.allow[0]`).
 */
export function checkInstallationConfig(declarations: LaunchDeclarations, config: InstallationConfig): FieldError[] {
  const errors: FieldError[] = [];
  const args: unknown = config.args ?? {};
  if (Array.isArray(args) || typeof args !== 'object' || args === null) {
    errors.push({
      path: 'config.args',
      message: `Arguments are named: give an object keyed by argument. ${describeDeclared(declarations)}`,
    });
  } else {
    for (const [key, raw] of Object.entries(args as Record<string, unknown>)) {
      const path = `config.args.${key}`;
      const declared = argumentByKey(declarations, key);
      if (!declared) {
        errors.push({ path, message: `Not a declared argument of this server. ${describeDeclared(declarations)}` });
        continue;
      }
      if (declared.value !== undefined) {
        errors.push({ path, message: 'This argument is fixed by the catalog entry and cannot be set.' });
        continue;
      }
      if (Array.isArray(raw) && !declared.isRepeated) {
        errors.push({ path, message: 'This argument takes one value, not a list.' });
        continue;
      }
      const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
      if (declared.isRequired && values.length === 0) errors.push({ path, message: 'Required: give at least one value.' });
      values.forEach((value, i) => {
        const problem = checkValue(declared, value, { isArgument: true });
        if (problem) errors.push({ path: Array.isArray(raw) ? `${path}[${i}]` : path, message: problem });
      });
    }
    for (const declared of declarations.arguments) {
      const key = argumentKey(declared);
      if (declared.isRequired && declared.value === undefined && declared.default === undefined && key && !(key in args))
        errors.push({ path: `config.args.${key}`, message: 'Required by this server.' });
    }
  }

  for (const [name, value] of Object.entries(config.env ?? {})) {
    const path = `config.env.${name}`;
    if (isLoaderVariable(name)) {
      errors.push({ path, message: `"${name}" changes how programs load or where they look; it is never settable.` });
      continue;
    }
    const declared = declarations.environmentVariables.find((v) => v.name === name);
    if (!declared) {
      const names = declarations.environmentVariables.filter((v) => v.value === undefined).map((v) => v.name);
      errors.push({
        path,
        message: `Not a declared variable of this server. ${names.length ? `Declared: ${names.join(', ')}.` : 'This server declares none.'}`,
      });
      continue;
    }
    if (declared.value !== undefined) {
      errors.push({ path, message: 'This variable is fixed by the catalog entry and cannot be set.' });
      continue;
    }
    const problem = checkValue(declared, value, { isArgument: false });
    if (problem) errors.push({ path, message: problem });
  }
  for (const declared of declarations.environmentVariables)
    if (declared.isRequired && declared.value === undefined && declared.default === undefined && !(declared.name in (config.env ?? {})))
      errors.push({ path: `config.env.${declared.name}`, message: 'Required by this server.' });

  if (config.network?.allow?.length) {
    const network = declarations.network;
    if (network.mode === 'none' || !network.allowInstallationTargets)
      errors.push({
        path: 'config.network.allow',
        message:
          network.mode === 'none'
            ? 'This server runs without network; it cannot be given targets.'
            : 'This server reaches only the targets its arguments name.',
      });
  }
  return errors;
}

/** The declarations of an entry, or an error of the entry (not of the installation) naming the metadata path. */
export function requireLaunchDeclarations(metadata: unknown): LaunchDeclarations {
  const read = launchDeclarationsOf(metadata);
  if ('error' in read)
    throw new AppError('validation_failed', `The catalog entry's declarations are invalid: ${read.error.message}`, {
      fieldErrors: [{ path: `server.metadata.${read.error.path}`, message: read.error.message }],
    });
  return read.declarations;
}

const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'ws:': 80,
  'wss:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
  'redis:': 6379,
  'rediss:': 6379,
  'mongodb:': 27017,
};

/** host:port of a URL-shaped value (a connection string), never its credentials. */
function egressTargetOf(value: string): EgressTarget | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host && port ? { host: host.toLowerCase(), port } : null;
}

function plainValue(format: ArgumentFormat, value: ArgValue, folder: string, secrets: ReadonlyMap<string, string>): string {
  if (format === 'filepath') {
    const resolved = resolveInFolder(folder, String(value));
    if ('error' in resolved) throw new Error(resolved.error); // checked before: unreachable for a valid config
    return resolved.path;
  }
  return typeof value === 'string' ? substituteSecrets(value, secrets) : String(value);
}

/**
 * The exact launch of one installation. Throws a validation AppError (with field paths) when the config does
 * not fit the declarations — stored rows are checked again here, so an older or hand-edited config never runs.
 */
export function resolveLaunch(
  entry: LaunchEntry,
  config: InstallationConfig,
  secrets: ReadonlyMap<string, string>,
  folder: string,
  options: LaunchOptions = {},
): LaunchPlan {
  const declarations = requireLaunchDeclarations(entry.metadata);
  const fieldErrors = checkInstallationConfig(declarations, config);
  const given = (config.args ?? {}) as Record<string, ArgValue | ArgValue[]>;
  const resolvedPaths: Array<{ path: string; at: string }> = [];
  const argv = [...entry.command];
  const rawByArg = new Map<string, string[]>();

  if (fieldErrors.length === 0)
    for (const declared of declarations.arguments) {
      const key = argumentKey(declared);
      const format = declared.format ?? 'string';
      const chosen: ArgValue | ArgValue[] | undefined =
        declared.value ?? (key && key in given ? given[key] : undefined) ?? declared.default;
      if (chosen === undefined) continue;
      const values = (Array.isArray(chosen) ? chosen : [chosen]).map((v) =>
        format === 'boolean' && typeof v === 'string' ? v === 'true' : format === 'number' && typeof v === 'string' ? Number(v) : v,
      );
      const texts: string[] = [];
      for (const value of values) {
        if (declared.type === 'named' && format === 'boolean') {
          if (value === true) argv.push(declared.name!);
          continue;
        }
        const text = plainValue(format, value, folder, secrets);
        if (format === 'filepath') resolvedPaths.push({ path: text, at: `config.args.${key}` });
        texts.push(text);
        argv.push(...(declared.type === 'named' ? [declared.name!, text] : [text]));
      }
      if (key) rawByArg.set(key, texts);
    }

  const env: Record<string, string> = {};
  if (fieldErrors.length === 0)
    for (const declared of declarations.environmentVariables) {
      const chosen = declared.value ?? config.env?.[declared.name] ?? declared.default;
      if (chosen === undefined) continue;
      const text = plainValue(declared.format ?? 'string', chosen, folder, secrets);
      if (declared.format === 'filepath') resolvedPaths.push({ path: text, at: `config.env.${declared.name}` });
      env[declared.name] = text;
    }

  if (options.realpath)
    for (const { path, at } of resolvedPaths) {
      const problem = symlinkEscape(folder, path, options.realpath);
      if (problem) fieldErrors.push({ path: at, message: problem });
    }

  const egress: EgressTarget[] = [];
  if (fieldErrors.length === 0 && declarations.network.mode === 'egress') {
    for (const source of declarations.network.targetsFrom) {
      const [values, at] =
        'arg' in source
          ? [rawByArg.get(source.arg) ?? [], `config.args.${source.arg}`]
          : [env[source.env] === undefined ? [] : [env[source.env]!], `config.env.${source.env}`];
      for (const value of values) {
        const target = egressTargetOf(value);
        // Never echo the value: it may hold a substituted secret.
        if (!target) fieldErrors.push({ path: at, message: 'Give a URL with a host (and a port unless its scheme has a default).' });
        else egress.push(target);
      }
    }
    if (declarations.network.allowInstallationTargets) egress.push(...(config.network?.allow ?? []));
  }
  if (fieldErrors.length)
    throw validationFailed(fieldErrors);
  const unique = [...new Map(egress.map((t) => [`${t.host}:${t.port}`, t])).values()];
  return { argv, env, egress: unique };
}
