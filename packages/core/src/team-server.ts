// REST contracts for changing and deleting a team-private catalog entry (creation is createServerBody).
import { z } from 'zod';

const keyValueDeclaration = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    isSecret: z.boolean().optional(),
    isRequired: z.boolean().optional(),
    default: z.string().optional(),
  })
  .loose();

/** PATCH /api/v1/servers/:slug: the fields given replace the entry's; a change of settings is a new revision. */
export const updateServerBody = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000),
    version: z.string().min(1).max(100),
    command: z.array(z.string().min(1)).min(1).max(50).describe('stdio: program and arguments, never a shell line.'),
    url: z.url({ protocol: /^https?$/ }).describe('http: the Streamable HTTP endpoint.'),
    repository: z.url().nullable(),
    tags: z.array(z.string().min(1).max(40)).max(20),
    environmentVariables: z.array(keyValueDeclaration).max(50).describe('stdio: the variables the server reads.'),
  })
  .partial()
  .strict();
export type UpdateServerBody = z.infer<typeof updateServerBody>;

/** DELETE /api/v1/servers/:slug?force=true */
export const deleteServerQuery = z
  .object({
    force: z
      .enum(['true', 'false'])
      .optional()
      .describe('Also remove the installations that use the entry (otherwise 409 while any exist).'),
  })
  .strict();
