import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError, type FieldError } from './errors';
import { isLoaderVariable, launchDeclarationsOf, MANIFOLD_META_KEY, type PackageArgument } from './launch-declarations';
import { checkInstallationConfig, resolveInFolder, resolveLaunch, type LaunchEntry } from './resolve-launch';
import type { InstallationConfig } from './api';

const FOLDER = '/data/servers/team-a/inst-1';

function entry(
  packageArguments: PackageArgument[] = [],
  environmentVariables: Array<Record<string, unknown>> = [],
  meta: Record<string, unknown> = {},
): LaunchEntry {
  return {
    command: ['mcp-server-x'],
    metadata: {
      packages: [{ registryType: 'npm', identifier: 'x', packageArguments, environmentVariables }],
      _meta: { [MANIFOLD_META_KEY]: meta },
    },
  };
}

const FILESYSTEM = entry([
  { type: 'positional', valueHint: 'directory', format: 'filepath', resolve: 'folder', isRepeated: true, default: '.' },
]);
const POSTGRES = entry([{ type: 'positional', valueHint: 'connectionString', isRequired: true, isSecret: true }], [], {
  network: { mode: 'egress', targetsFrom: [{ arg: 'connectionString' }] },
});
const FLAGS = entry(
  [
    { type: 'named', name: '--port', format: 'number' },
    { type: 'named', name: '--verbose', format: 'boolean' },
    { type: 'named', name: '--mode', choices: ['fast', 'slow'] },
    { type: 'positional', value: 'stdio' },
  ],
  [
    { name: 'API_KEY', isSecret: true },
    { name: 'LEVEL', format: 'number' },
    { name: 'MEMORY_FILE_PATH', value: 'memory.jsonl', format: 'filepath', resolve: 'folder' },
  ],
);

/** The field errors a launch is refused with (fails the test when it is not refused). */
function refusal(e: LaunchEntry, config: InstallationConfig, secrets = new Map<string, string>()): FieldError[] {
  try {
    resolveLaunch(e, config, secrets, FOLDER);
  } catch (error) {
    if (isAppError(error) && error.code === 'validation_failed') return error.options.fieldErrors ?? [];
    throw error;
  }
  throw new Error('expected the launch to be refused');
}
const paths = (errors: FieldError[]) => errors.map((e) => e.path);

describe('resolveInFolder', () => {
  it('resolves relative paths inside the folder', () => {
    expect(resolveInFolder(FOLDER, '.')).toEqual({ path: FOLDER });
    expect(resolveInFolder(FOLDER, 'docs/./a')).toEqual({ path: `${FOLDER}/docs/a` });
    expect(resolveInFolder(`${FOLDER}/`, 'x//y/')).toEqual({ path: `${FOLDER}/x/y` });
  });

  it.each([
    ['/etc/hostname', /absolute/],
    ['../inst-2', /leave/],
    ['docs/../../inst-2', /leave/],
    ['..', /leave/],
    ['a\u0000b', /NUL/],
    ['~/x', /absolute/],
    ['a\\..\\b', /"\/"/],
    ['', /relative/],
  ])('refuses %j', (value, message) => {
    const result = resolveInFolder(FOLDER, value);
    expect('error' in result && result.error).toMatch(message);
  });
});

describe('resolveLaunch', () => {
  it('passes declared arguments in declared order, named as flag + value, fixed ones always', () => {
    const plan = resolveLaunch(FLAGS, { args: { verbose: true, port: 8080, mode: 'fast' }, env: { LEVEL: '2' } }, new Map(), FOLDER);
    expect(plan.argv).toEqual(['mcp-server-x', '--port', '8080', '--verbose', '--mode', 'fast', 'stdio']);
    expect(plan.env).toEqual({ LEVEL: '2', MEMORY_FILE_PATH: `${FOLDER}/memory.jsonl` });
    expect(plan.egress).toEqual([]);
    expect(resolveLaunch(FLAGS, { args: { verbose: false } }, new Map(), FOLDER).argv).toEqual(['mcp-server-x', 'stdio']);
  });

  it('resolves repeated filepath arguments inside the folder, the default being the folder itself', () => {
    expect(resolveLaunch(FILESYSTEM, {}, new Map(), FOLDER).argv).toEqual(['mcp-server-x', FOLDER]);
    expect(resolveLaunch(FILESYSTEM, { args: { directory: ['docs', 'data/in'] } }, new Map(), FOLDER).argv).toEqual([
      'mcp-server-x',
      `${FOLDER}/docs`,
      `${FOLDER}/data/in`,
    ]);
  });

  it('substitutes secret references in string arguments and derives egress from the connection string', () => {
    const secrets = new Map([['PG_URL', 'postgresql://reader:s3cret@db.example.com:6543/app']]);
    const plan = resolveLaunch(POSTGRES, { args: { connectionString: '{{ secrets.PG_URL }}' } }, secrets, FOLDER);
    expect(plan.argv).toEqual(['mcp-server-x', 'postgresql://reader:s3cret@db.example.com:6543/app']);
    expect(plan.egress).toEqual([{ host: 'db.example.com', port: 6543 }]);
    const defaultPort = resolveLaunch(
      POSTGRES,
      { args: { connectionString: 'postgresql://u:{{ secrets.PW }}@db/app' } },
      new Map([['PW', 'pw']]),
      FOLDER,
    );
    expect(defaultPort.egress).toEqual([{ host: 'db', port: 5432 }]);
  });

  it('refuses an egress source that is not a URL without echoing the (secret) value', () => {
    const errors = refusal(POSTGRES, { args: { connectionString: '{{ secrets.PG_URL }}' } }, new Map([['PG_URL', 'not a url s3cret']]));
    expect(paths(errors)).toEqual(['config.args.connectionString']);
    expect(JSON.stringify(errors)).not.toContain('s3cret');
  });

  it.each<[string, LaunchEntry, InstallationConfig, string]>([
    ['an undeclared argument', FLAGS, { args: { root: '/' } }, 'config.args.root'],
    ['old-style argument arrays', FLAGS, { args: ['--x'] as never }, 'config.args'],
    ['a fixed argument', entry([{ type: 'named', name: '--root', value: '.' }]), { args: { root: 'x' } }, 'config.args.root'],
    ['a string where a number is declared', FLAGS, { args: { port: '80' } }, 'config.args.port'],
    ['a number where a boolean is declared', FLAGS, { args: { verbose: 1 } }, 'config.args.verbose'],
    ['a value outside the choices', FLAGS, { args: { mode: 'turbo' } }, 'config.args.mode'],
    ['a list for a single argument', FLAGS, { args: { mode: ['fast', 'slow'] } }, 'config.args.mode'],
    ['a value that reads as a flag', FLAGS, { args: { mode: '--inspect' } }, 'config.args.mode'],
    ['a missing required argument', POSTGRES, {}, 'config.args.connectionString'],
    [
      'a plain value for a secret argument',
      POSTGRES,
      { args: { connectionString: 'postgresql://u:pw@h/db' } },
      'config.args.connectionString',
    ],
    ['an absolute path', FILESYSTEM, { args: { directory: ['/'] } }, 'config.args.directory[0]'],
    ['a path out of the folder', FILESYSTEM, { args: { directory: ['ok', '../inst-2'] } }, 'config.args.directory[1]'],
    ['a NUL byte in a path', FILESYSTEM, { args: { directory: 'a\u0000' } }, 'config.args.directory'],
    ['a secret reference in a path', FILESYSTEM, { args: { directory: '{{ secrets.X }}' } }, 'config.args.directory'],
    ['an undeclared variable', FLAGS, { env: { CANARY: 'x' } }, 'config.env.CANARY'],
    ['LD_PRELOAD', FLAGS, { env: { LD_PRELOAD: '/tmp/evil.so' } }, 'config.env.LD_PRELOAD'],
    ['NODE_OPTIONS', FLAGS, { env: { NODE_OPTIONS: '--require /tmp/x.js' } }, 'config.env.NODE_OPTIONS'],
    ['PATH', FLAGS, { env: { PATH: '/tmp' } }, 'config.env.PATH'],
    ['PYTHONPATH', FLAGS, { env: { PYTHONPATH: '/tmp' } }, 'config.env.PYTHONPATH'],
    ['a fixed variable (the memory file)', FLAGS, { env: { MEMORY_FILE_PATH: '/etc/passwd' } }, 'config.env.MEMORY_FILE_PATH'],
    ['a plain secret variable', FLAGS, { env: { API_KEY: 'plain' } }, 'config.env.API_KEY'],
    ['a non-number variable', FLAGS, { env: { LEVEL: 'high' } }, 'config.env.LEVEL'],
    [
      'network targets for a server without network',
      FLAGS,
      { network: { allow: [{ host: '10.0.0.1', port: 5432 }] } },
      'config.network.allow',
    ],
    [
      'network targets the entry does not allow',
      POSTGRES,
      { args: { connectionString: '{{ secrets.A }}' }, network: { allow: [{ host: 'x', port: 1 }] } },
      'config.network.allow',
    ],
  ])('refuses %s with its field path', (_, e, config, path) => {
    expect(paths(refusal(e, config, new Map([['A', 'postgresql://h/db']])))).toContain(path);
    expect(paths(checkInstallationConfig(declarationsOf(e), config))).toContain(path);
  });

  it('adds installation targets when the entry allows them', () => {
    const open = entry([], [{ name: 'UPSTREAM' }], {
      network: { mode: 'egress', targetsFrom: [{ env: 'UPSTREAM' }], allowInstallationTargets: true },
    });
    const plan = resolveLaunch(
      open,
      {
        env: { UPSTREAM: 'https://api.example.com' },
        network: {
          allow: [
            { host: 'api.example.com', port: 443 },
            { host: 'b.example', port: 8443 },
          ],
        },
      },
      new Map(),
      FOLDER,
    );
    expect(plan.egress).toEqual([
      { host: 'api.example.com', port: 443 },
      { host: 'b.example', port: 8443 },
    ]);
  });

  it('refuses a path that leaves the folder through a planted symlink', () => {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'manifold-launch-')));
    const folder = path.join(root, 'inst-1');
    mkdirSync(path.join(root, 'inst-2'), { recursive: true });
    mkdirSync(path.join(folder, 'real'), { recursive: true });
    symlinkSync(path.join(root, 'inst-2'), path.join(folder, 'escape'));
    const realpath = (p: string) => {
      try {
        return realpathSync(p);
      } catch {
        return null;
      }
    };
    expect(resolveLaunch(FILESYSTEM, { args: { directory: ['real', 'not-yet'] } }, new Map(), folder, { realpath }).argv).toHaveLength(3);
    try {
      resolveLaunch(FILESYSTEM, { args: { directory: ['escape/sub'] } }, new Map(), folder, { realpath });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(isAppError(error) && error.options.fieldErrors?.[0]).toMatchObject({ path: 'config.args.directory', message: /symlink/ });
    }
  });

  it('refuses a catalog entry whose declarations are broken, naming the metadata path', () => {
    const broken = entry([], [{ name: 'LD_PRELOAD' }]);
    expect(paths(refusal(broken, {}))).toEqual(['server.metadata.packages[0].environmentVariables[0].name']);
  });
});

describe('isLoaderVariable', () => {
  it.each([
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'DYLD_INSERT_LIBRARIES',
    'NODE_OPTIONS',
    'NODE_PATH',
    'NODE_EXTRA_CA_CERTS',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PERL5OPT',
    'RUBYOPT',
    'PATH',
    'HOME',
    'BASH_ENV',
    'ENV',
    'GCONV_PATH',
    'GLIBC_TUNABLES',
    'NPM_CONFIG_REGISTRY',
    'UV_INDEX_URL',
    'HTTPS_PROXY',
    'SSL_CERT_FILE',
    'MANIFOLD_MASTER_KEYS',
  ])('refuses %s', (name) => expect(isLoaderVariable(name)).toBe(true));
  it.each(['API_KEY', 'NODE_ENV', 'MEMORY_FILE_PATH', 'GITHUB_TOKEN', 'LOG_LEVEL'])('allows %s', (name) =>
    expect(isLoaderVariable(name)).toBe(false),
  );
});

function declarationsOf(e: LaunchEntry) {
  const read = launchDeclarationsOf(e.metadata);
  if ('error' in read) throw new Error(read.error.message);
  return read.declarations;
}
