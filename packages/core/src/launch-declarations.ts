// What a stdio catalog entry lets an installation set: its arguments (server.json `packageArguments`), its
// environment (`environmentVariables`) and its network (Manifold's `_meta`). Anything not declared here cannot
// reach the server process.
import { z } from 'zod';
import { ADVISORY_SEVERITIES, type Advisory } from './tier-rules';

/** Manifold's own fields inside server.json `_meta` (the registry reserves `_meta` for publisher extensions). */
export const MANIFOLD_META_KEY = 'io.manifold/catalog';

export const ARGUMENT_FORMATS = ['string', 'number', 'boolean', 'filepath'] as const;
export type ArgumentFormat = (typeof ARGUMENT_FORMATS)[number];

/** Fields the registry's Input and our extension share (arguments and env vars). */
const inputFields = {
  description: z.string().max(2000).optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(ARGUMENT_FORMATS).optional(),
  /** Registry semantics: a fixed value the installation cannot change. */
  value: z.string().max(8192).optional(),
  default: z.string().max(8192).optional(),
  choices: z.array(z.string().max(500)).max(100).optional(),
  /**
   * Manifold extension: a `filepath` resolved inside the installation's private folder (relative values only;
   * absolute paths, "..", NUL bytes and symlinks out of the folder are refused).
   */
  resolve: z.literal('folder').optional(),
};

export const packageArgumentSchema = z
  .object({
    type: z.enum(['positional', 'named']),
    /** named: the flag as the program spells it, e.g. "--port". */
    name: z
      .string()
      .regex(/^-{1,2}[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Spell a named argument as its flag, e.g. "--port".')
      .optional(),
    /** positional: what the value is, e.g. "root"; also its key in `config.args`. */
    valueHint: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/)
      .optional(),
    isRepeated: z.boolean().optional(),
    ...inputFields,
  })
  .loose()
  .superRefine((arg, ctx) => {
    if (arg.type === 'named' && !arg.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'A named argument needs its flag.' });
    if (arg.type === 'positional' && !arg.valueHint && arg.value === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['valueHint'],
        message: 'A positional argument needs a valueHint (its name) or a fixed value.',
      });
  });
export type PackageArgument = z.infer<typeof packageArgumentSchema>;

export const environmentVariableSchema = z
  .object({ name: z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'Use an upper-case variable name.'), ...inputFields })
  .loose();
export type EnvironmentVariable = z.infer<typeof environmentVariableSchema>;

/** Where a sandboxed server's egress targets come from: a declared argument or env var holding a URL. */
const egressSourceSchema = z.union([z.object({ arg: z.string().min(1) }).strict(), z.object({ env: z.string().min(1) }).strict()]);

export const launchNetworkSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z
    .object({
      mode: z.literal('egress'),
      /** Each named value is parsed as a URL (postgresql://…, https://…) and its host:port allowed. */
      targetsFrom: z.array(egressSourceSchema).max(10).default([]),
      /** Whether an installation may add its own `config.network.allow` targets. */
      allowInstallationTargets: z.boolean().default(false),
    })
    .strict(),
]);
export type LaunchNetwork = z.infer<typeof launchNetworkSchema>;

export const advisorySchema = z
  .object({
    id: z.string().min(1).max(100),
    severity: z.enum(ADVISORY_SEVERITIES),
    summary: z.string().min(1).max(2000),
  })
  .strict();
export type { Advisory };

export interface LaunchDeclarations {
  arguments: PackageArgument[];
  environmentVariables: EnvironmentVariable[];
  network: LaunchNetwork;
  /** Known flaws of this server (read by certification: a flagged server cannot reach `certified`). */
  advisories: Advisory[];
}

/** The key of an argument in `config.args`: a positional's valueHint, a named flag without its dashes. */
export const argumentKey = (arg: PackageArgument): string => (arg.type === 'named' ? arg.name!.replace(/^-+/, '') : (arg.valueHint ?? ''));

const packageDeclarations = z
  .object({
    packageArguments: z.array(packageArgumentSchema).max(50).default([]),
    environmentVariables: z.array(environmentVariableSchema).max(100).default([]),
  })
  .loose();
const manifoldLaunchMeta = z
  .object({ network: launchNetworkSchema.default({ mode: 'none' }), advisories: z.array(advisorySchema).max(50).default([]) })
  .loose();

/**
 * Reads the declarations of a stored catalog entry's server.json-shaped metadata (the first package: the one
 * Manifold runs). A malformed declaration is an error of the entry, addressed by its path in the metadata.
 */
export function launchDeclarationsOf(
  metadata: unknown,
): { declarations: LaunchDeclarations } | { error: { path: string; message: string } } {
  const record = (metadata && typeof metadata === 'object' ? metadata : {}) as { packages?: unknown; _meta?: Record<string, unknown> };
  const first = Array.isArray(record.packages) ? (record.packages[0] as unknown) : undefined;
  const pkg = packageDeclarations.safeParse(first ?? {});
  if (!pkg.success) return { error: issueAt('packages[0]', pkg.error) };
  const meta = manifoldLaunchMeta.safeParse(record._meta?.[MANIFOLD_META_KEY] ?? {});
  if (!meta.success) return { error: issueAt(`_meta.${MANIFOLD_META_KEY}`, meta.error) };
  const keys = new Set<string>();
  for (const [i, arg] of pkg.data.packageArguments.entries()) {
    const key = argumentKey(arg);
    if (!key) continue; // a fixed positional value with no name: always passed, never settable
    if (keys.has(key)) return { error: { path: `packages[0].packageArguments[${i}]`, message: `Argument "${key}" is declared twice.` } };
    keys.add(key);
  }
  for (const [i, variable] of pkg.data.environmentVariables.entries())
    if (isLoaderVariable(variable.name))
      return {
        error: {
          path: `packages[0].environmentVariables[${i}].name`,
          message: `"${variable.name}" changes how programs load or where they look; it cannot be declared.`,
        },
      };
  return {
    declarations: {
      arguments: pkg.data.packageArguments,
      environmentVariables: pkg.data.environmentVariables,
      network: meta.data.network,
      advisories: meta.data.advisories,
    },
  };
}

function issueAt(prefix: string, error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  const rest = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return { path: `${prefix}${rest}`, message: issue?.message ?? 'Invalid.' };
}

// Variables that make a program load other code, trust other certificates, route its traffic elsewhere, or
// look for its files somewhere else. None of them is ever settable by an installation, declared or not: the
// sandbox and the worker own them.
const LOADER_EXACT = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'ENV',
  'BASH_ENV',
  'IFS',
  'PS4',
  'SHELLOPTS',
  'BASHOPTS',
  'CDPATH',
  'TMPDIR',
  'GCONV_PATH',
  'GLIBC_TUNABLES',
  'LOCPATH',
  'NLSPATH',
  'HOSTALIASES',
  'RES_OPTIONS',
  'LOCALDOMAIN',
  'TZDIR',
  'TERMINFO',
  'RUBYOPT',
  'RUBYLIB',
  'CLASSPATH',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'OPENSSL_CONF',
  'OPENSSL_ENGINES',
  'OPENSSL_MODULES',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'LESSOPEN',
  'EDITOR',
  'VISUAL',
  'PAGER',
]);
const LOADER_PREFIXES = [
  'LD_', // dynamic linker: LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT
  'DYLD_',
  'NODE_', // NODE_OPTIONS, NODE_PATH, NODE_EXTRA_CA_CERTS, NODE_TLS_REJECT_UNAUTHORIZED (NODE_ENV is allowed below)
  'NPM_CONFIG_', // npx's registry, scripts and cache (npm reads them case-insensitively)
  'YARN_',
  'PNPM_',
  'COREPACK_',
  'PYTHON', // PYTHONPATH, PYTHONSTARTUP, PYTHONHOME
  'PIP_',
  'UV_', // uvx's index and cache
  'PERL5',
  'PERL_',
  'GEM_',
  'BUNDLE_',
  'DENO_',
  'BUN_',
  'GIT_', // GIT_SSH_COMMAND, GIT_EXEC_PATH
  'BASH_FUNC_',
  'MALLOC_',
  'XDG_',
  'MANIFOLD_',
];
const LOADER_ALLOWED = new Set(['NODE_ENV']);

/** True for names that change how programs load, what they trust or where they look (refused always). */
export function isLoaderVariable(name: string): boolean {
  const upper = name.toUpperCase();
  if (LOADER_ALLOWED.has(upper)) return false;
  return LOADER_EXACT.has(upper) || LOADER_PREFIXES.some((prefix) => upper.startsWith(prefix));
}
