// The composition root for application services: each app builds this once with its own db and Temporal.
import type { ServiceDeps } from './context';
import { createApiKeyService } from './api-key-service';
import { createHealthService } from './health-service';
import { createIdentityService } from './identity-service';
import { createInstallationService } from './installation-service';
import { createRunService } from './run-service';
import { createInstallationLimitsService } from './installation-limits-service';
import { createWorkflowService } from './workflow-service';

export function createServices(deps: ServiceDeps) {
  return {
    apiKeys: createApiKeyService(deps),
    health: createHealthService(deps),
    identity: createIdentityService(deps),
    installations: createInstallationService(deps),
    runs: createRunService(deps),
    workflows: createWorkflowService(deps),
    installationLimits: createInstallationLimitsService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
