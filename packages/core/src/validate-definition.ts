// Whole-definition checks beyond the zod shape: unique ids (across nesting), parseable expressions, references
// only to steps that have finished by then, `$item`/`$index` only inside a map, and (when the team's
// installations are known) existing servers and tools and literal arguments that fit the tool's input schema.
import type { FieldError } from './errors';
import { validationFailed } from './errors';
import { reservedMarkerErrors } from './payload-ref';
import { collectExpressions, checkTemplates } from './templates';
import { workflowDefinitionSchema, type Step, type WorkflowDefinition } from './workflow-definition';
import { MAP_ITEMS_LIMIT } from './workflow-definition-limits';
import { fieldErrorsFromZod } from './zod-errors';

/** What the validator may know about the team's installed servers. */
export interface InstallationCatalog {
  /** installation name -> tool names from its latest snapshot (null: never listed, tools unknown). */
  get(name: string): { tools: string[] | null } | undefined;
  /**
   * Checks a tool step's arguments against the tool's input JSON Schema (core stays free of a JSON Schema
   * engine: services supplies this). Values holding templates are unknown until run time and must be skipped.
   */
  checkArgs?(server: string, tool: string, args: Record<string, unknown>, path: string): FieldError[];
}

const STEP_REFERENCE = /\$steps\.([A-Za-z][A-Za-z0-9_-]*)|\$steps\[\s*["']([^"']+)["']\s*\]/g;
const ITEM_REFERENCE = /\$(item|index)\b/;

interface StepInfo {
  /** Ids of enclosing map/parallel/choice steps, outermost first. */
  ancestors: string[];
  /** Paths of the step sequences that hold it, outermost first, its own last. */
  sequences: string[];
}

/** The nested step sequences of a step (its branches, its per-item steps, its catch step), with their paths. */
export function childSequences(step: Step, at: string): Array<{ steps: Step[]; path: string; isCatch?: boolean }> {
  const out: Array<{ steps: Step[]; path: string; isCatch?: boolean }> = [];
  if (step.type === 'map') out.push({ steps: step.steps, path: `${at}.steps` });
  if (step.type === 'parallel')
    for (const [name, steps] of Object.entries(step.branches)) out.push({ steps, path: `${at}.branches.${name}` });
  if (step.type === 'choice') {
    step.choices.forEach((choice, i) => out.push({ steps: choice.steps, path: `${at}.choices[${i}].steps` }));
    if (step.default) out.push({ steps: step.default, path: `${at}.default` });
  }
  return out;
}

export function validateDefinition(raw: unknown, installations?: InstallationCatalog, prefix = 'definition'): WorkflowDefinition {
  const parsed = workflowDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw validationFailed(fieldErrorsFromZod(parsed.error, prefix));
  const definition = parsed.data;
  const errors: FieldError[] = [];

  // Pass 1: every id, where it is, and inside which container steps.
  const all = new Map<string, StepInfo>();
  const visitAll = (steps: Step[], path: string, ancestors: string[], outerSequences: string[]) => {
    const sequences = [...outerSequences, path];
    steps.forEach((step, index) => {
      const at = `${path}[${index}]`;
      if (all.has(step.id)) errors.push({ path: `${at}.id`, message: `Step id "${step.id}" is used twice.` });
      else all.set(step.id, { ancestors, sequences });
      for (const child of childSequences(step, at)) visitAll(child.steps, child.path, [...ancestors, step.id], sequences);
      if (step.catch && 'step' in step.catch) visitAll([step.catch.step], `${at}.catch.step`, ancestors, outerSequences);
    });
  };
  visitAll(definition.steps, `${prefix}.steps`, [], []);

  /** Checks the expressions in `value`: they parse, reference visible steps only, and use $item only in a map. */
  const checkExpressions = (value: unknown, path: string, visible: ReadonlySet<string>, self: string | null, inMap: boolean) => {
    const parseErrors = checkTemplates(value, path);
    errors.push(...parseErrors);
    for (const { path: at, expression } of collectExpressions(value, path)) {
      if (parseErrors.some((e) => e.path === at)) continue;
      if (!inMap && ITEM_REFERENCE.test(expression))
        errors.push({ path: at, message: `$item and $index exist only inside the steps of a map step.` });
      for (const match of expression.matchAll(STEP_REFERENCE)) {
        const target = match[1] ?? match[2]!;
        if (visible.has(target)) continue;
        errors.push({ path: at, message: describeBadReference(target, self, all) });
      }
    }
  };

  // Pass 2: scopes. A step sees the earlier steps of its own sequence and of every enclosing sequence.
  const checkSequence = (steps: Step[], path: string, outer: ReadonlySet<string>, inMap: boolean) => {
    const visible = new Set(outer);
    steps.forEach((step, index) => {
      const at = `${path}[${index}]`;
      checkStep(step, at, visible, inMap);
      visible.add(step.id);
    });
  };

  const checkStep = (step: Step, at: string, visible: ReadonlySet<string>, inMap: boolean) => {
    switch (step.type) {
      case 'tool': {
        checkExpressions(step.args, `${at}.args`, visible, step.id, inMap);
        if (!installations) break;
        const installation = installations.get(step.server);
        if (!installation) errors.push({ path: `${at}.server`, message: `No server installation named "${step.server}" in this team.` });
        else if (installation.tools && !installation.tools.includes(step.tool))
          errors.push({
            path: `${at}.tool`,
            message: `Server "${step.server}" has no tool "${step.tool}". Known tools: ${installation.tools.join(', ')}.`,
          });
        else if (installations.checkArgs) errors.push(...installations.checkArgs(step.server, step.tool, step.args, `${at}.args`));
        break;
      }
      case 'map':
        checkExpressions(step.items, `${at}.items`, visible, step.id, inMap);
        checkSequence(step.steps, `${at}.steps`, visible, true);
        break;
      case 'parallel':
        // Branches run at the same time: none sees another's steps.
        for (const [name, steps] of Object.entries(step.branches)) checkSequence(steps, `${at}.branches.${name}`, visible, inMap);
        break;
      case 'choice':
        step.choices.forEach((choice, i) => {
          checkExpressions(choice.when, `${at}.choices[${i}].when`, visible, step.id, inMap);
          checkSequence(choice.steps, `${at}.choices[${i}].steps`, visible, inMap);
        });
        if (step.default) checkSequence(step.default, `${at}.default`, visible, inMap);
        break;
      case 'wait':
        break;
    }
    if (step.catch) {
      if ('value' in step.catch) checkExpressions(step.catch.value, `${at}.catch.value`, visible, step.id, inMap);
      else checkStep(step.catch.step, `${at}.catch.step`, visible, inMap);
    }
  };

  checkSequence(definition.steps, `${prefix}.steps`, new Set(), false);
  errors.push(...checkMapBounds(definition.steps, `${prefix}.steps`, 1));
  if (definition.output !== undefined)
    checkExpressions(definition.output, `${prefix}.output`, new Set(definition.steps.map((s) => s.id)), null, false);

  errors.push(...reservedMarkerErrors(raw, prefix));

  if (errors.length) throw validationFailed(errors);
  return definition;
}

/**
 * Nested maps multiply: an inner map runs its items for every item of the outer one. Declared `maxItems` whose
 * product exceeds MAP_ITEMS_LIMIT could not all run, so the definition is refused at the inner map's bound.
 * (A map without `maxItems` gets what its outer maps leave, checked when the run reaches it.)
 */
function checkMapBounds(steps: Step[], path: string, outer: number): FieldError[] {
  const errors: FieldError[] = [];
  steps.forEach((step, index) => {
    const at = `${path}[${index}]`;
    let inner = outer;
    if (step.type === 'map' && step.maxItems !== undefined) {
      inner = outer * step.maxItems;
      if (inner > MAP_ITEMS_LIMIT)
        errors.push({
          path: `${at}.maxItems`,
          message:
            `With its enclosing maps this map could run ${inner} items, more than the limit of ${MAP_ITEMS_LIMIT}. ` +
            'Lower maxItems here or on an enclosing map.',
        });
    }
    for (const child of childSequences(step, at)) errors.push(...checkMapBounds(child.steps, child.path, inner));
    if (step.catch && 'step' in step.catch) errors.push(...checkMapBounds([step.catch.step], `${at}.catch.step`, outer));
  });
  return errors;
}

function describeBadReference(target: string, self: string | null, all: ReadonlyMap<string, StepInfo>): string {
  if (target === self) return `Step "${target}" cannot use its own output.`;
  const info = all.get(target);
  if (!info) return `Unknown step "${target}".`;
  if (self && all.get(self)?.ancestors.includes(target)) return `Step "${self}" is inside "${target}" and cannot use its output.`;
  if (self && info.ancestors.includes(self)) return `Step "${target}" is inside "${self}"; "${self}" cannot use it.`;
  const own = self ? (all.get(self)?.sequences ?? []) : [];
  const isInEnclosingSequence = own.includes(info.sequences.at(-1)!);
  if (!isInEnclosingSequence)
    return `Step "${target}" is nested inside "${info.ancestors.at(-1)}" and is not visible here; use the output of "${info.ancestors[0]}" instead.`;
  return `Step "${target}" runs after this one; only earlier steps can be referenced.`;
}
