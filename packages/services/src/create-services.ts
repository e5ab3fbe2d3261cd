// The composition root for application services: each app builds this once with its own db and Temporal.
import type { ServiceDeps } from './context';
import { createApiKeyService } from './api-key-service';
import { createAuditService } from './audit-service';
import { createHealthService } from './health-service';
import { createIdentityService, type LoginThrottleSettings } from './identity-service';
import { createInstallationService } from './installation-service';
import { createInvitationService } from './invitation-service';
import { createMailer, type Mailer } from './mailer';
import { createRateLimitService, type RateLimitSettings } from './rate-limit-service';
import { createRunService } from './run-service';
import { createInstallationLimitsService } from './installation-limits-service';
import { createSecretService } from './secret-service';
import { createSecretVault } from './secret-vault';
import { createTeamService } from './team-service';
import { createWorkflowService } from './workflow-service';
import { createToolPinningService } from './tool-pinning-service';
import { createCatalogService } from './catalog-service';
import { createCertificationService } from './certification-service';
import { createOAuthClient } from './oauth/oauth-client';
import { createOAuthService } from './oauth/oauth-service';
import type { NetworkPolicy } from '@manifold/mcp';

export interface ServiceOptions {
  rateLimits?: RateLimitSettings;
  loginThrottle?: LoginThrottleSettings;
  /** Defaults to logging mails (no SMTP). */
  mailer?: Mailer;
  /** SSRF policy for OAuth discovery and token requests; the default refuses every non-public address. */
  network?: NetworkPolicy;
  /** MANIFOLD_ALLOWED_COMMANDS (parsed by allowedCommandsSetting): programs team entries may run besides pinned npx/uvx. */
  allowedCommands?: readonly string[];
}

export function createServices(deps: ServiceDeps, options: ServiceOptions = {}) {
  const vault = createSecretVault({ db: deps.db, keyWrapper: deps.keyWrapper });
  const mailer = options.mailer ?? createMailer();
  return {
    apiKeys: createApiKeyService(deps),
    audit: createAuditService(deps),
    health: createHealthService(deps),
    identity: createIdentityService(deps, options.loginThrottle, mailer),
    installations: createInstallationService(deps),
    invitations: createInvitationService(deps, mailer),
    rateLimits: createRateLimitService(deps, options.rateLimits),
    runs: createRunService(deps),
    teams: createTeamService(deps),
    workflows: createWorkflowService(deps),
    secrets: createSecretService({ db: deps.db, vault }),
    vault,
    toolPinning: createToolPinningService(deps),
    catalog: createCatalogService(deps, { allowedCommands: options.allowedCommands ?? [] }),
    certification: createCertificationService(deps),
    installationLimits: createInstallationLimitsService(deps),
    oauth: createOAuthService({ db: deps.db, vault, client: createOAuthClient({ network: options.network ?? {} }) }),
  };
}

export type Services = ReturnType<typeof createServices>;
