// What a template needs of its scope: only that part is searched for stored values and sent to the activity
// that renders it (an activity's input is written to history). Pure, for workflow code.
import type { ExpressionScope } from '@manifold/core/workflow-runtime';

const NAMED_STEP = /\$steps\.([A-Za-z][A-Za-z0-9_-]*)|\$steps\[\s*["']([^"']+)["']\s*\]/g;

/**
 * The part of the scope a template's expressions name: `$input` if used, the `$steps.<id>` they name (all of
 * them if one uses `$steps` another way), and `$item`, `$index`, `$error`. What an activity input carries into
 * history, and what is searched for references.
 */
export function scopeFor(value: unknown, scope: ExpressionScope): ExpressionScope {
  const expressions = collectTemplateText(value);
  const named = new Set<string>();
  let allSteps = false;
  for (const expression of expressions) {
    const withoutNamed = expression.replace(NAMED_STEP, (_, dotted: string | undefined, quoted: string | undefined) => {
      named.add(dotted ?? quoted!);
      return '';
    });
    if (withoutNamed.includes('$steps')) allSteps = true;
  }
  const text = expressions.join(' ');
  const steps = allSteps
    ? scope.steps
    : Object.fromEntries([...named].filter((id) => id in scope.steps).map((id) => [id, scope.steps[id]]));
  const picked: ExpressionScope = { input: text.includes('$input') ? scope.input : null, steps };
  if ('item' in scope) picked.item = scope.item;
  if ('index' in scope) picked.index = scope.index;
  if ('error' in scope) picked.error = scope.error;
  return picked;
}

/** The text inside every "{{ … }}" of a value. */
function collectTemplateText(value: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (typeof current === 'string') for (const match of current.matchAll(/\{\{([\s\S]+?)\}\}/g)) out.push(match[1]!);
    else if (Array.isArray(current)) stack.push(...(current as unknown[]));
    else if (current && typeof current === 'object') stack.push(...Object.values(current));
  }
  return out;
}
