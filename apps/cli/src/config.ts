// The CLI's settings from the environment (only this module reads process.env).
import { keyringFromEnvironment } from '@manifold/secrets';

export const cliConfig = {
  /** Undefined without MANIFOLD_MASTER_KEYS: the secret commands then say how to set it. */
  keyring: () => keyringFromEnvironment(process.env),
  databaseUrl: process.env.DATABASE_URL,
  temporal: {
    address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'manifold',
  },
};
