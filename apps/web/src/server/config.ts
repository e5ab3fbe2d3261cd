// The web app's configuration, parsed once from the environment (the only module that reads process.env).
import 'server-only';
import { z } from 'zod';
import { keyringFromEnvironment, type Keyring } from '@manifold/secrets';

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (run through `npm start`, or set it).'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('manifold'),
  WEB_DB_POOL_SIZE: z.coerce.number().int().min(1).default(10),
});

export type WebConfig = z.infer<typeof schema> & { keyring: Keyring | undefined };

let cached: WebConfig | undefined;

export function webConfig(): WebConfig {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid web configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return (cached = { ...parsed.data, keyring: keyringFromEnvironment(process.env) });
}
