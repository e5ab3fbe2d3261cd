// Request and response contracts of the REST API (/api/v1). Routes validate with these; the OpenAPI
// document is generated from them.
import { z } from 'zod';
import { installationLimitsSchema } from './installation-limits';
import { boundedJson } from './json-bounds';
import { workflowSlugSchema } from './workflow-definition';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = ['pending', 'running', 'waiting', 'succeeded', 'failed', 'degraded', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const isTerminalRunStatus = (status: RunStatus) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

export const installationNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Use 1–63 lowercase letters, digits, "_" or "-".');

const secretNameRef = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'Use the NAME of a team secret (letters, digits, "_"), never its value.');

/**
 * OAuth 2 for a remote server (MCP authorization spec). Only secret NAMES appear here: the client secret and
 * the refresh token live in the team's vault; access tokens are cached encrypted by the worker.
 */
export const installationAuthSchema = z
  .object({
    type: z.literal('oauth2'),
    grant: z
      .enum(['client_credentials', 'authorization_code'])
      .describe('client_credentials: the worker gets tokens itself; authorization_code: connect once in the dashboard (PKCE).'),
    issuer: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("Authorization server issuer URL; default: discovered from the server's protected resource metadata (RFC 9728)."),
    clientId: z.string().min(1).max(500).optional().describe('OAuth client id (authorization_code may register one dynamically).'),
    clientSecret: secretNameRef.optional().describe('NAME of the team secret holding the client secret (confidential clients).'),
    scope: z.string().max(1000).optional(),
    resource: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Resource indicator (RFC 8707) the tokens are bound to; default: the server URL.'),
    refreshTokenSecret: secretNameRef
      .optional()
      .describe('NAME of the team secret holding the refresh token; set by the dashboard when you connect.'),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.grant === 'client_credentials' && !auth.clientId)
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'The client credentials grant needs a client id.' });
    if (auth.grant === 'client_credentials' && !auth.clientSecret)
      ctx.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'The client credentials grant needs a client secret (a secret name).',
      });
  });
export type InstallationAuth = z.infer<typeof installationAuthSchema>;

const argumentKeySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,62}$/, 'Use the name of a declared argument.');
const argumentValue = z.union([z.string().max(8192), z.number().finite(), z.boolean()]);
const egressTargetSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:-]+$/, 'Use a host name or an IP address.'),
    port: z.number().int().min(1).max(65_535),
  })
  .strict();

export const createInstallationBody = z
  .object({
    server: z.string().min(1).max(100).describe('Catalog slug of the server, e.g. "server-everything".'),
    name: installationNameSchema.describe('The name workflows use for this installation.'),
    config: z
      .object({
        url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe('Streamable HTTP endpoint (remote servers).'),
        args: z
          .record(argumentKeySchema, z.union([argumentValue, z.array(argumentValue).max(50)]))
          .optional()
          .describe(
            'Arguments of a stdio server, keyed by the names its catalog entry declares (server.json packageArguments); ' +
              'string values may hold secret references, paths are relative to the installation folder.',
          ),
        env: z
          .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'Use an upper-case variable name.'), z.string().max(8192))
          .optional()
          .describe(
            'Environment of a stdio server, only the variables its catalog entry declares: plain values or secret references, e.g. "{{ secrets.API_KEY }}".',
          ),
        network: z
          .object({ allow: z.array(egressTargetSchema).max(20) })
          .strict()
          .optional()
          .describe('Extra host:port targets, only for servers whose catalog entry allows them.'),
        headers: z
          .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'Use a header name of letters, digits and "-".'), z.string().max(8192))
          .optional()
          .describe('HTTP headers for a remote server, e.g. {"Authorization": "Bearer {{ secrets.GITHUB_TOKEN }}"}.'),
        auth: installationAuthSchema.optional().describe('OAuth 2 for a remote server (see docs/secrets.md#oauth).'),
      })
      .strict()
      .default({}),
    limits: z
      .object({
        timeoutMs: z.number().int().min(100).max(3_600_000).optional().describe('Default timeout of one tool call.'),
        ratePerSecond: z.number().positive().max(10_000).optional().describe('Calls per second across the team.'),
        maxConcurrency: z.number().int().min(1).max(1_000).optional().describe('Calls in flight at once.'),
      })
      .strict()
      .default({})
      .describe('Call limits, enforced by the worker.'),
  })
  .strict();
export type CreateInstallationBody = z.infer<typeof createInstallationBody>;
export type InstallationConfig = CreateInstallationBody['config'];

/** PATCH /api/v1/installations/:name — each given config field replaces the stored one. */
export const updateInstallationBody = z.object({ config: createInstallationBody.shape.config.unwrap().partial() }).strict();
export type UpdateInstallationBody = z.infer<typeof updateInstallationBody>;

/** PATCH /api/v1/installations/:name: config fields and/or call limits. */
export const patchInstallationBody = z
  .object({ config: updateInstallationBody.shape.config.optional(), limits: installationLimitsSchema.optional() })
  .strict()
  .refine((body) => body.config !== undefined || body.limits !== undefined, { message: 'Send "config", "limits" or both.' });

export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'Use 1–64 letters, digits or "_", not starting with a digit (e.g. GITHUB_TOKEN).');
/** Secrets shorter than 4 characters could not be redacted from logs without redacting ordinary text. */
const secretValueSchema = z.string().min(4, 'Use at least 4 characters.').max(65_536);

export const createSecretBody = z
  .object({
    name: secretNameSchema,
    value: secretValueSchema.describe('The secret value; write-only, never returned.'),
    description: z.string().max(500).optional(),
  })
  .strict();
export type CreateSecretBody = z.infer<typeof createSecretBody>;

export const putSecretBody = z.object({ value: secretValueSchema.describe('The new value (a new version).') }).strict();
export type PutSecretBody = z.infer<typeof putSecretBody>;

export const deleteSecretQuery = z.object({
  force: z.enum(['true', 'false']).optional().describe('Delete even while installations use it.'),
});

export const deleteInstallationQuery = z.object({
  force: z.enum(['true', 'false']).optional().describe('Remove even while workflows call it (their runs then fail at that step).'),
});

export const createWorkflowBody = z
  .object({
    slug: workflowSlugSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    definition: boundedJson(z.unknown()).describe('The workflow definition (see docs/workflow-format.md).'),
  })
  .strict();
export type CreateWorkflowBody = z.infer<typeof createWorkflowBody>;

/** PUT /workflows/:slug — a new version of the definition (name and description may change too). */
export const updateWorkflowBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    definition: boundedJson(z.unknown()).describe('The workflow definition (see docs/workflow-format.md).'),
  })
  .strict();

export const createRunBody = z
  .object({
    workflow: workflowSlugSchema,
    input: boundedJson(z.record(z.string(), z.unknown())).default({}),
  })
  .strict();
export type CreateRunBody = z.infer<typeof createRunBody>;

// ------------------------------------------------------------------ responses (documented in OpenAPI)

const isoTime = z.string().nullable().describe('ISO 8601 time; null when it has not happened.');

/** A run in a list: what it runs, how it stands, and until when it waits (a wait step). */
export const runSummaryResponse = z.object({
  id: z.string(),
  workflow: z.string().describe('The workflow slug.'),
  workflowName: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(RUN_STATUSES),
  retryOfRunId: z.string().nullable(),
  createdAt: isoTime,
  startedAt: isoTime,
  finishedAt: isoTime,
  waitingUntil: isoTime.describe('Set while the run sleeps in a wait step: when it wakes up (the earliest, with waits in parallel).'),
});

export const runStepResponse = z.object({
  key: z.string().describe('The step execution: its id, plus "[i]" for each enclosing map item.'),
  stepId: z.string(),
  kind: z.string().describe('tool, map, parallel, choice or wait.'),
  status: z.enum(STEP_STATUSES).describe('`waiting`: a wait step sleeping until `wakeAt`.'),
  input: z.unknown(),
  output: z.unknown(),
  error: z.unknown(),
  startedAt: isoTime,
  finishedAt: isoTime,
  wakeAt: isoTime.describe('A wait step: when it wakes up; recorded as it starts waiting.'),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      status: z.enum(['running', 'succeeded', 'failed']),
      startedAt: isoTime,
      finishedAt: isoTime,
      latencyMs: z.number().int().nullable(),
      errorClass: z.string().nullable(),
      errorMessage: z.string().nullable(),
    }),
  ),
});

/** A run with its input, output or error, and every step (in the order they began) with its attempts. */
export const runResponse = runSummaryResponse.extend({
  input: z.unknown(),
  output: z.unknown(),
  error: z.unknown(),
  steps: z.array(runStepResponse),
});
export type RunResponse = z.infer<typeof runResponse>;
export type RunSummaryResponse = z.infer<typeof runSummaryResponse>;

export const runListResponse = z.object({ items: z.array(runSummaryResponse), nextCursor: z.string().nullable() });

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
