// Starts a fresh database, Temporal, worker and web for the suite; specs read E2E_BASE_URL, E2E_DATABASE_URL, E2E_TEMPORAL_ADDRESS.
import { startE2eStack } from '../scripts/lib/e2e-stack.mjs';

export default async function globalSetup(): Promise<void> {
  await startE2eStack();
}
