// The workflow definition format (version 1). It is stored as JSON, validated here with zod, and run by the
// interpreter in @manifold/workflows. Argument values may embed JSONata expressions as "{{ … }}".
import { z } from 'zod';
import { durationSchema } from './durations';
import { TOOL_ERROR_CLASSES } from './tool-errors';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'Use 1–63 letters, digits, "_" or "-", starting with a letter.');

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(3),
    initialInterval: durationSchema.default('1s'),
    backoffCoefficient: z.number().min(1).max(10).default(2),
    maxInterval: durationSchema.default('30s'),
    nonRetryable: z.array(z.enum(TOOL_ERROR_CLASSES)).default([]),
  })
  .strict();

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});
export const DEFAULT_STEP_TIMEOUT = '60s';

/** JSON values, where strings may carry "{{ expression }}" templates. */
export const templateValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(templateValueSchema), z.record(z.string(), templateValueSchema)]),
);

export const toolStepSchema = z
  .object({
    id: identifier,
    type: z.literal('tool'),
    name: z.string().max(200).optional(),
    /** The team's server installation name. */
    server: z.string().min(1),
    tool: z.string().min(1),
    args: z.record(z.string(), templateValueSchema).default({}),
    retry: retryPolicySchema.optional(),
    timeout: durationSchema.optional(),
  })
  .strict();

export type ToolStep = z.infer<typeof toolStepSchema>;

export const stepSchema = z.discriminatedUnion('type', [toolStepSchema]);
export type Step = z.infer<typeof stepSchema>;

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
