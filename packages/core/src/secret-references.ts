// Secret references in an installation's config: "{{ secrets.NAME }}" inside string arguments, env values and
// HTTP headers.
// Only the names travel (workflow arguments, Temporal history); the worker substitutes values at call time.
import { AppError, type FieldError } from './errors';
import type { InstallationConfig } from './api';

const REFERENCE = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;
const ANY_TEMPLATE = /\{\{[\s\S]*?\}\}/g;

type BindingConfig = Pick<InstallationConfig, 'args' | 'env' | 'headers'>;

function* boundValues(config: BindingConfig): Generator<[path: string, value: string]> {
  // A stored config from before arguments were named may still hold an array; its strings count too.
  for (const [name, value] of Object.entries(config.args ?? {})) {
    if (typeof value === 'string') yield [`config.args.${name}`, value];
    else if (Array.isArray(value))
      for (const [i, item] of value.entries()) if (typeof item === 'string') yield [`config.args.${name}[${i}]`, item];
  }
  for (const [name, value] of Object.entries(config.env ?? {})) yield [`config.env.${name}`, value];
  for (const [name, value] of Object.entries(config.headers ?? {})) yield [`config.headers.${name}`, value];
}

/** The secret names a config refers to, sorted and unique. */
export function secretReferences(config: BindingConfig): string[] {
  const names = new Set<string>();
  for (const [, value] of boundValues(config)) for (const match of value.matchAll(REFERENCE)) names.add(match[1]!);
  return [...names].sort();
}

/**
 * The secrets an installation's OAuth block names (client secret, refresh token). They are read by the token
 * manager only, never substituted into headers or env, but count as "in use" for deletion.
 */
export function oauthSecretNames(config: Pick<InstallationConfig, 'auth'>): string[] {
  const auth = config.auth;
  return auth ? [auth.clientSecret, auth.refreshTokenSecret].filter((name): name is string => !!name).sort() : [];
}

/** Rejects a template that is not a secret reference (e.g. "{{ secret.X }}" or an expression). */
export function assertValidSecretReferences(config: BindingConfig): void {
  const fieldErrors: FieldError[] = [];
  for (const [path, value] of boundValues(config))
    for (const match of value.matchAll(ANY_TEMPLATE))
      if (!new RegExp(`^${REFERENCE.source}$`).test(match[0]))
        fieldErrors.push({ path, message: `"${match[0]}" is not a secret reference; write {{ secrets.NAME }}.` });
  if (fieldErrors.length)
    throw new AppError('validation_failed', 'The installation config has an invalid secret reference.', { fieldErrors });
}

/** Replaces every reference with its value; `values` must hold every referenced name. */
export function substituteSecrets(value: string, values: ReadonlyMap<string, string>): string {
  return value.replace(REFERENCE, (_, name: string) => {
    const secret = values.get(name);
    if (secret === undefined) throw new Error(`Secret "${name}" was not resolved.`);
    return secret;
  });
}
