// Whole-definition checks beyond the zod shape: unique ids, parseable expressions, references to earlier
// steps only, and (when the team's installations are known) existing servers and tools.
import type { FieldError } from './errors';
import { validationFailed } from './errors';
import { collectExpressions, checkTemplates } from './templates';
import { workflowDefinitionSchema, type WorkflowDefinition } from './workflow-definition';
import { fieldErrorsFromZod } from './zod-errors';

/** What the validator may know about the team's installed servers. */
export interface InstallationCatalog {
  /** installation name -> tool names from its latest snapshot (null: never listed, tools unknown). */
  get(name: string): { tools: string[] | null } | undefined;
}

const STEP_REFERENCE = /\$steps\.([A-Za-z][A-Za-z0-9_-]*)|\$steps\[\s*["']([^"']+)["']\s*\]/g;

export function validateDefinition(raw: unknown, installations?: InstallationCatalog, prefix = 'definition'): WorkflowDefinition {
  const parsed = workflowDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw validationFailed(fieldErrorsFromZod(parsed.error, prefix));
  const definition = parsed.data;
  const errors: FieldError[] = [];
  const seen = new Set<string>();

  definition.steps.forEach((step, index) => {
    const at = `${prefix}.steps[${index}]`;
    if (seen.has(step.id)) errors.push({ path: `${at}.id`, message: `Step id "${step.id}" is used twice.` });

    errors.push(...checkTemplates(step.args, `${at}.args`));
    for (const { path, expression } of collectExpressions(step.args, `${at}.args`)) {
      for (const match of expression.matchAll(STEP_REFERENCE)) {
        const target = match[1] ?? match[2]!;
        if (target === step.id) errors.push({ path, message: `Step "${step.id}" cannot use its own output.` });
        else if (!seen.has(target))
          errors.push({
            path,
            message: definition.steps.some((s) => s.id === target)
              ? `Step "${target}" runs after this one; only earlier steps can be referenced.`
              : `Unknown step "${target}".`,
          });
      }
    }

    if (step.type === 'tool' && installations) {
      const installation = installations.get(step.server);
      if (!installation) errors.push({ path: `${at}.server`, message: `No server installation named "${step.server}" in this team.` });
      else if (installation.tools && !installation.tools.includes(step.tool))
        errors.push({
          path: `${at}.tool`,
          message: `Server "${step.server}" has no tool "${step.tool}". Known tools: ${installation.tools.join(', ')}.`,
        });
    }
    seen.add(step.id);
  });

  if (definition.output !== undefined) {
    errors.push(...checkTemplates(definition.output, `${prefix}.output`));
    for (const { path, expression } of collectExpressions(definition.output, `${prefix}.output`))
      for (const match of expression.matchAll(STEP_REFERENCE)) {
        const target = match[1] ?? match[2]!;
        if (!seen.has(target)) errors.push({ path, message: `Unknown step "${target}".` });
      }
  }

  if (errors.length) throw validationFailed(errors);
  return definition;
}
