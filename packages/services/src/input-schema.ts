// Validates a run's input against the workflow's input JSON Schema (draft 2020-12 subset that Ajv supports).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import addFormatsModule from 'ajv-formats';
import { validationFailed, type FieldError } from '@manifold/core';
import { pointerToPath } from './json-pointer';

const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  a: Ajv,
) => void;
addFormats(ajv);

// Keyed by the schema's text: the same schema arrives as new objects (each saved version, each check), and
// compiling again each time would cost a compile per run. Bounded, as a long-lived process sees many schemas.
const cache = new LRUCache<string, ValidateFunction>({ max: 1_000 });

function toFieldError(error: ErrorObject, prefix: string): FieldError {
  const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const path = pointerToPath(error.instancePath, prefix);
  return missing
    ? { path: path ? `${path}.${missing}` : missing, message: 'Required.' }
    : { path, message: error.message ?? 'Invalid value.' };
}

export function validateAgainstSchema(schema: Record<string, unknown> | undefined, value: unknown, prefix: string): void {
  if (!schema) return;
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(key, validate);
  }
  if (!validate(value)) throw validationFailed((validate.errors ?? []).map((e) => toFieldError(e, prefix)));
}
