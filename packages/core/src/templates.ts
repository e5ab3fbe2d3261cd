// "{{ expression }}" templates inside JSON values, evaluated with JSONata. A string that is exactly one
// template takes the expression's value (any JSON type); otherwise each template is interpolated as text.
import jsonata from 'jsonata';
import type { FieldError } from './errors';

// Exactly one template: no "}}" inside (else "{{ a }} and {{ b }}" would read as one expression).
const WHOLE = /^\s*\{\{((?:(?!\}\})[\s\S])+)\}\}\s*$/;
const ANY = /\{\{([\s\S]+?)\}\}/g;

/**
 * What expressions can see: `$input` (the run input), `$steps.<id>` (earlier steps' outputs), inside a map
 * step `$item` and `$index`, and in a `catch` value `$error` ({ errorClass, message }).
 */
export interface ExpressionScope {
  input: unknown;
  steps: Record<string, unknown>;
  item?: unknown;
  index?: number;
  error?: unknown;
}

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly path: string,
    readonly expression: string,
    message: string,
  ) {
    super(`${path}: ${message} in {{${expression}}}`);
  }
}

function describeJsonataError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: string; position?: number };
    return e.position !== undefined ? `${e.message} (at character ${e.position})` : e.message;
  }
  return String(error);
}

/** Every template expression in a value, with the path of the string that holds it. */
export function collectExpressions(value: unknown, path: string): Array<{ path: string; expression: string }> {
  if (typeof value === 'string') return [...value.matchAll(ANY)].map((m) => ({ path, expression: m[1]!.trim() }));
  if (Array.isArray(value)) return value.flatMap((item, i) => collectExpressions(item, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => collectExpressions(v, path ? `${path}.${k}` : k));
  return [];
}

/** Parse-checks every template in `value`; returns the problems with their paths. */
export function checkTemplates(value: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const { path: at, expression } of collectExpressions(value, path)) {
    try {
      jsonata(expression);
    } catch (error) {
      errors.push({ path: at, message: `Expression does not parse: ${describeJsonataError(error)}` });
    }
  }
  return errors;
}

async function evaluateExpression(expression: string, scope: ExpressionScope, path: string): Promise<unknown> {
  try {
    const bindings: Record<string, unknown> = { input: scope.input, steps: scope.steps };
    if ('item' in scope) bindings.item = scope.item;
    if ('index' in scope) bindings.index = scope.index;
    if ('error' in scope) bindings.error = scope.error;
    const result: unknown = await jsonata(expression).evaluate({}, bindings);
    // JSONata returns its own sequence arrays; JSON round-trip gives plain data.
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
  } catch (error) {
    throw new ExpressionError(path, expression, describeJsonataError(error));
  }
}

/** Resolves every template in `value` against `scope`. Pure and deterministic: safe inside workflow code. */
export async function renderTemplate(value: unknown, scope: ExpressionScope, path = ''): Promise<unknown> {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return evaluateExpression(whole[1]!.trim(), scope, path);
    if (!value.includes('{{')) return value;
    let out = '';
    let last = 0;
    for (const match of value.matchAll(ANY)) {
      const result = await evaluateExpression(match[1]!.trim(), scope, path);
      out += value.slice(last, match.index) + (typeof result === 'string' ? result : JSON.stringify(result));
      last = match.index + match[0].length;
    }
    return out + value.slice(last);
  }
  if (Array.isArray(value)) return Promise.all(value.map((item, i) => renderTemplate(item, scope, `${path}[${i}]`)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await renderTemplate(v, scope, path ? `${path}.${k}` : k)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
