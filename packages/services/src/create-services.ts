// The composition root for application services: each app builds this once with its own db and Temporal.
import type { ServiceDeps } from './context';
import { createApiKeyService } from './api-key-service';
import { createHealthService } from './health-service';
import { createIdentityService } from './identity-service';
import { createInstallationService } from './installation-service';
import { createRunService } from './run-service';
import { createWorkflowService } from './workflow-service';
import { createToolPinningService } from './tool-pinning-service';
import { createCatalogService } from './catalog-service';
import { createCertificationService } from './certification-service';

export function createServices(deps: ServiceDeps) {
  return {
    apiKeys: createApiKeyService(deps),
    health: createHealthService(deps),
    identity: createIdentityService(deps),
    installations: createInstallationService(deps),
    runs: createRunService(deps),
    workflows: createWorkflowService(deps),
    toolPinning: createToolPinningService(deps),
    catalog: createCatalogService(deps),
    certification: createCertificationService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
