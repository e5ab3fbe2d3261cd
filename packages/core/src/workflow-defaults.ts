// Defaults of a step, as plain values (no zod): the interpreter imports them (see workflow-runtime.ts), and a
// unit test keeps DEFAULT_RETRY_POLICY equal to what retryPolicySchema fills in.
import type { RetryPolicy } from './workflow-definition';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
  maxInterval: '30s',
  jitter: 0,
  nonRetryable: [],
};
export const DEFAULT_STEP_TIMEOUT = '60s';
