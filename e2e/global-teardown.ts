// Stops the stack started by global-setup.ts and drops the run's database.
import { stopE2eStack } from '../scripts/lib/e2e-stack.mjs';

export default async function globalTeardown(): Promise<void> {
  await stopE2eStack();
}
