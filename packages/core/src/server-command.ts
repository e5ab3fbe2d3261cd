// Which programs a team-private stdio server may run. Shared by the web app (refuses on create) and the worker
// (re-checks at launch, so a row stored before this rule or edited in the database still cannot run).
import { z } from 'zod';
import type { FieldError } from './errors';

const ALLOWED_FORMS =
  'Use a package runner with an exact version — ["npx", "-y", "pkg@1.2.3", ...args] or ["uvx", "pkg==1.2.3", ...args] — ' +
  'or an absolute program path the operator lists in MANIFOLD_ALLOWED_COMMANDS.';

// npm names (optionally scoped), then an exact semver: no ranges, tags, `latest`, URLs, git, file or alias specs.
const NPM_PINNED = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*@(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9a-z.-]+)?$/i;
// PEP 508 names with a PEP 440 exact release (`==`, no wildcard, no `===`, no extras, no URL).
const PYPI_PINNED = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?==\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/i;

/** MANIFOLD_ALLOWED_COMMANDS: comma-separated absolute, normalized program paths (both apps parse it with this). */
export const allowedCommandsSetting = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((paths) => paths.every(isPlainAbsolutePath), {
    message: 'List absolute program paths (e.g. /usr/bin/node), separated by commas, without "..", "." or a trailing "/".',
  });

// No node:path here: core is also bundled into workflow code. "/a/b" yes; "a/b", "/a/../b", "/a//b", "/a/" no.
const isPlainAbsolutePath = (p: string): boolean =>
  p.startsWith('/') &&
  p.length > 1 &&
  p
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');

const issue = (index: number | null, message: string): FieldError => ({
  path: index === null ? 'command' : `command[${index}]`,
  message,
});

/**
 * The problems with a team-private stdio command (empty when it may run). `allowedPrograms` is the operator's
 * MANIFOLD_ALLOWED_COMMANDS. Arguments after the pinned package or allow-listed program are passed to the server.
 */
export function checkServerCommand(command: readonly string[], allowedPrograms: readonly string[]): FieldError[] {
  const [program, ...rest] = command;
  if (!program) return [issue(null, `A stdio server needs a command. ${ALLOWED_FORMS}`)];
  const nul = command.findIndex((part) => part.includes('\0'));
  if (nul >= 0) return [issue(nul, 'Arguments cannot contain NUL characters.')];

  if (program === 'npx') {
    // Without -y npx waits for a "proceed?" answer on the server's own stdin; any other flag changes
    // where the package comes from (--registry, --cache, --package, --call, --prefix, ...).
    if (rest[0] !== '-y' && rest[0] !== '--yes')
      return [issue(1, `npx must be followed by exactly "-y", then the pinned package. ${ALLOWED_FORMS}`)];
    const spec = rest[1];
    if (spec === undefined) return [issue(2, 'Name the package with an exact version, e.g. "@scope/server@1.2.3".')];
    if (!NPM_PINNED.test(spec))
      return [
        issue(
          2,
          spec.startsWith('-')
            ? `npx options other than "-y" are not allowed (they can change the registry or cache). ${ALLOWED_FORMS}`
            : `"${spec}" is not an npm package with an exact version (no ranges, tags, "latest", URLs, git or file specs); use e.g. "pkg@1.2.3".`,
        ),
      ];
    return [];
  }

  if (program === 'uvx') {
    const spec = rest[0];
    if (spec === undefined) return [issue(1, 'Name the package with an exact version, e.g. "mcp-server-time==2025.1.1".')];
    if (!PYPI_PINNED.test(spec))
      return [
        issue(
          1,
          spec.startsWith('-')
            ? `uvx options (--from, --with, --index, ...) are not allowed: they change what is installed. ${ALLOWED_FORMS}`
            : `"${spec}" is not a PyPI package with an exact "==" version (no ranges, extras, URLs or git); use e.g. "pkg==1.2.3".`,
        ),
      ];
    return [];
  }

  if (isPlainAbsolutePath(program) && allowedPrograms.includes(program)) return [];
  const why = program.startsWith('/')
    ? `"${program}" is not in the operator's MANIFOLD_ALLOWED_COMMANDS.`
    : `"${program}" is neither a pinned package runner nor an allow-listed absolute path (shells, interpreters, env, sudo and relative paths are refused).`;
  return [issue(0, `${why} ${ALLOWED_FORMS}`)];
}
