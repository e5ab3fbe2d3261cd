// Save-time check of a tool step's literal arguments against the tool's input JSON Schema from the
// installation's last tools/list snapshot. Values holding "{{ … }}" are only known at run time: errors at or
// below them are ignored, but a missing required argument or an unknown one is reported.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldError } from '@manifold/core';
import { pointerToPath } from './json-pointer';

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const compiled = new Map<string, ValidateFunction | null>();

function compile(schema: Record<string, unknown>): ValidateFunction | null {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) {
    try {
      compiled.set(key, ajv.compile(schema));
    } catch {
      // A server may publish a schema Ajv cannot compile; then its arguments are checked when the tool runs.
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

const hasTemplate = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('{{')
    : Array.isArray(value)
      ? value.some(hasTemplate)
      : !!value && typeof value === 'object' && Object.values(value).some(hasTemplate);

/** Whether the value at `pointer` (or any value on the way there) is, or holds, a template. */
function isUnknownUntilRun(args: unknown, pointer: string): boolean {
  let value = args;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof value === 'string' && value.includes('{{')) return true;
    if (!value || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  // A whole-object or array-level error (e.g. minItems) depends on templates inside it.
  return hasTemplate(value);
}

function describe(error: ErrorObject, prefix: string): FieldError {
  const at = pointerToPath(error.instancePath, prefix);
  if (error.keyword === 'required')
    return { path: `${at}.${(error.params as { missingProperty: string }).missingProperty}`, message: 'Required by the tool.' };
  if (error.keyword === 'additionalProperties')
    return {
      path: `${at}.${(error.params as { additionalProperty: string }).additionalProperty}`,
      message: 'The tool has no such argument.',
    };
  return { path: at, message: `The tool expects a value that ${error.message ?? 'fits its input schema'}.` };
}

export function checkToolArguments(inputSchema: unknown, args: Record<string, unknown>, prefix: string): FieldError[] {
  if (!inputSchema || typeof inputSchema !== 'object') return [];
  const validate = compile(inputSchema as Record<string, unknown>);
  if (!validate || validate(args)) return [];
  return (validate.errors ?? [])
    .filter(
      (error) => error.keyword === 'required' || error.keyword === 'additionalProperties' || !isUnknownUntilRun(args, error.instancePath),
    )
    .map((error) => describe(error, prefix));
}
