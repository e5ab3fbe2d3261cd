// The workflow definition format (version 1). It is stored as JSON, validated here with zod, and run by the
// interpreter in @manifold/workflows. Argument values may embed JSONata expressions as "{{ … }}".
// Step kinds: `tool` (one MCP call), `map` (steps per item of an array), `parallel` (named branches at once),
// `choice` (the first branch whose condition holds), `wait` (a durable timer). New kinds (e.g. `approval`,
// `agent`) are added as further members of the `type` discriminated union, so old definitions stay valid.
import { z } from 'zod';
import { durationSchema, type Duration } from './durations';
import { TOOL_ERROR_CLASSES } from './tool-errors';
import { MAP_ITEMS_LIMIT } from './workflow-definition-limits';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'Use 1–63 letters, digits, "_" or "-", starting with a letter.');

/** A string holding exactly one "{{ expression }}". */
const expressionString = z.string().regex(/^\s*\{\{(?:(?!\}\})[\s\S])+\}\}\s*$/, 'Write one expression as "{{ … }}".');

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(3),
    initialInterval: durationSchema.default('1s'),
    backoffCoefficient: z.number().min(1).max(10).default(2),
    maxInterval: durationSchema.default('30s'),
    /** Each delay is shortened by a random fraction up to this (0 = exact delays, 1 = "full jitter"). */
    jitter: z.number().min(0).max(1).default(0),
    nonRetryable: z.array(z.enum(TOOL_ERROR_CLASSES)).default([]),
  })
  .strict();

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export { DEFAULT_RETRY_POLICY, DEFAULT_STEP_TIMEOUT } from './workflow-defaults';
export const DEFAULT_MAP_CONCURRENCY = 10;
export { MAP_ITEMS_LIMIT };

/** JSON values, where strings may carry "{{ expression }}" templates. */
export const templateValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z
    .union([z.string(), z.number(), z.boolean(), z.null(), z.array(templateValueSchema), z.record(z.string(), templateValueSchema)])
    .meta({ id: 'TemplateValue' }),
);

/** What happens when a step fails after its retries: a default value, or a fallback step. Either way the step is `degraded`. */
export const catchSchema: z.ZodType<StepCatch> = z
  .union([
    z.strictObject({ value: templateValueSchema }),
    z.strictObject({
      get step() {
        return stepSchema;
      },
    }),
  ])
  .meta({ id: 'Catch' });

const stepBase = {
  id: identifier,
  name: z.string().max(200).optional(),
  get catch(): z.ZodOptional<z.ZodType<StepCatch>> {
    return catchSchema.optional();
  },
};

const nestedSteps = (): z.ZodArray<z.ZodType<Step>> => z.array(stepSchema).min(1, 'Needs at least one step.').max(200);

export const toolStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('tool'),
  /** The team's server installation name. */
  server: z.string().min(1).max(100),
  tool: z.string().min(1).max(200),
  args: z.record(z.string(), templateValueSchema).default({}),
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.optional(),
  /** false: a call whose outcome is unknown (timeout, worker crash) is never repeated. */
  idempotent: z.boolean().optional(),
});

export const mapStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('map'),
  /** An expression yielding the array to iterate; nested steps see `$item` and `$index`. */
  items: expressionString,
  maxConcurrency: z.number().int().min(1).max(100).default(DEFAULT_MAP_CONCURRENCY),
  /** The most items this map takes; more fails the step (default: what MAP_ITEMS_LIMIT leaves, see above). */
  maxItems: z.number().int().min(1).max(MAP_ITEMS_LIMIT).optional(),
  get steps() {
    return nestedSteps();
  },
});

export const parallelStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('parallel'),
  /** Branch name → steps; the step's output is { branch: output of the branch's last step }. */
  get branches() {
    return z.record(identifier, nestedSteps());
  },
});

export const choiceStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('choice'),
  /** Tried in order; the first whose `when` is truthy runs. */
  get choices() {
    return z.array(z.strictObject({ when: expressionString, steps: nestedSteps() })).min(1, 'Needs at least one choice.');
  },
  get default() {
    return nestedSteps().optional();
  },
});

export const waitStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('wait'),
  duration: durationSchema,
});

// Step types are recursive, which TypeScript cannot infer through zod; these mirror the schemas above (a
// mismatch is a type error at the `z.ZodType<…>` annotations, so they cannot drift apart).
interface StepCommon {
  id: string;
  name?: string | undefined;
  catch?: StepCatch | undefined;
}
export type StepCatch = { value: unknown } | { step: Step };
export interface ToolStep extends StepCommon {
  type: 'tool';
  server: string;
  tool: string;
  args: Record<string, unknown>;
  retry?: RetryPolicy | undefined;
  timeout?: Duration | undefined;
  idempotent?: boolean | undefined;
}
export interface MapStep extends StepCommon {
  type: 'map';
  items: string;
  maxConcurrency: number;
  maxItems?: number | undefined;
  steps: Step[];
}
export interface ParallelStep extends StepCommon {
  type: 'parallel';
  branches: Record<string, Step[]>;
}
export interface ChoiceStep extends StepCommon {
  type: 'choice';
  choices: Array<{ when: string; steps: Step[] }>;
  default?: Step[] | undefined;
}
export interface WaitStep extends StepCommon {
  type: 'wait';
  duration: Duration;
}
export type Step = ToolStep | MapStep | ParallelStep | ChoiceStep | WaitStep;
export type StepKind = Step['type'];

export const stepSchema: z.ZodType<Step> = z
  .discriminatedUnion('type', [
    toolStepSchema.meta({ id: 'ToolStep' }),
    mapStepSchema.meta({ id: 'MapStep' }),
    parallelStepSchema.meta({ id: 'ParallelStep' }),
    choiceStepSchema.meta({ id: 'ChoiceStep' }),
    waitStepSchema.meta({ id: 'WaitStep' }),
  ])
  .meta({ id: 'Step' });

/** A JSON Schema object for the run input; checked structurally here, applied when a run starts. */
const jsonSchemaObject = z.record(z.string(), z.unknown());

export const workflowDefinitionSchema = z
  .object({
    formatVersion: z.literal(1).default(1),
    input: jsonSchemaObject.optional(),
    steps: z.array(stepSchema).min(1, 'A workflow needs at least one step.').max(200),
    /** The run's output; defaults to the last step's output. */
    output: templateValueSchema.optional(),
  })
  .strict();

export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;

export const workflowSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use 1–63 lowercase letters, digits or "-", starting with a letter or digit.');

/** The published JSON Schema of a definition (what editors and clients validate against). */
export function workflowDefinitionJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(workflowDefinitionSchema, { io: 'input', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }),
    $id: 'https://manifold.dev/schemas/workflow-definition-v1.json',
    title: 'Manifold workflow definition (format version 1)',
  };
}
