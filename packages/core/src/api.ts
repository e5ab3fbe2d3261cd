// Request and response contracts of the REST API (/api/v1). Routes validate with these; the OpenAPI
// document is generated from them.
import { z } from 'zod';
import { workflowSlugSchema } from './workflow-definition';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'degraded', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const isTerminalRunStatus = (status: RunStatus) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

export const installationNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Use 1–63 lowercase letters, digits, "_" or "-".');

export const createInstallationBody = z
  .object({
    server: z.string().min(1).describe('Catalog slug of the server, e.g. "server-everything".'),
    name: installationNameSchema.describe('The name workflows use for this installation.'),
    config: z
      .object({
        url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe('Streamable HTTP endpoint (remote servers).'),
        args: z.array(z.string()).max(50).optional().describe('Extra arguments for a stdio server.'),
        env: z
          .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string())
          .optional()
          .describe('Non-secret environment values.'),
      })
      .strict()
      .default({}),
  })
  .strict();
export type CreateInstallationBody = z.infer<typeof createInstallationBody>;

export const createWorkflowBody = z
  .object({
    slug: workflowSlugSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    definition: z.unknown().describe('The workflow definition (see docs/workflow-format.md).'),
  })
  .strict();
export type CreateWorkflowBody = z.infer<typeof createWorkflowBody>;

/** PUT /workflows/:slug — a new version of the definition (name and description may change too). */
export const updateWorkflowBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    definition: z.unknown().describe('The workflow definition (see docs/workflow-format.md).'),
  })
  .strict();

export const createRunBody = z
  .object({
    workflow: workflowSlugSchema,
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type CreateRunBody = z.infer<typeof createRunBody>;

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'Use printable ASCII without spaces.');

export const listRunsQuery = z.object({
  workflow: workflowSlugSchema.optional(),
  status: z.enum(RUN_STATUSES).optional(),
  since: z.coerce.date().optional().describe('Only runs created at or after this time (ISO 8601).'),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
