// Every /api/v1 route module, by URL pattern: the OpenAPI document is generated from it, and a meta-test
// checks it against the route files on disk (add a new route here).
import * as apiKey from './api-keys/[id]/route';
import * as apiKeys from './api-keys/route';
import * as auditLog from './audit-log/route';
import * as installation from './installations/[name]/route';
import * as installationTools from './installations/[name]/tools/route';
import * as installations from './installations/route';
import * as run from './runs/[id]/route';
import * as runs from './runs/route';
import * as runCancel from './runs/[id]/cancel/route';
import * as runRetry from './runs/[id]/retry/route';
import * as workflowVersions from './workflows/[slug]/versions/route';
import * as certification from './certifications/[id]/route';
import * as installationTestConnection from './installations/[name]/test-connection/route';
import * as installationOAuth from './installations/[name]/oauth/route';
import * as installationToolsApprove from './installations/[name]/tools/approve/route';
import * as installationToolSnapshots from './installations/[name]/tools/snapshots/route';
import * as policy from './policy/route';
import * as server from './servers/[slug]/route';
import * as serverCertifications from './servers/[slug]/certifications/route';
import * as serverJson from './servers/[slug]/server.json/route';
import * as serverVersions from './servers/[slug]/versions/route';
import * as serversImport from './servers/import/route';
import * as secret from './secrets/[name]/route';
import * as secrets from './secrets/route';
import * as servers from './servers/route';
import * as workflow from './workflows/[slug]/route';
import * as workflows from './workflows/route';

export const API_ROUTES = {
  '/api/v1/runs': runs,
  '/api/v1/runs/[id]': run,
  '/api/v1/workflows': workflows,
  '/api/v1/workflows/[slug]': workflow,
  '/api/v1/installations': installations,
  '/api/v1/installations/[name]': installation,
  '/api/v1/installations/[name]/tools': installationTools,
  '/api/v1/servers': servers,
  '/api/v1/api-keys': apiKeys,
  '/api/v1/api-keys/[id]': apiKey,
  '/api/v1/audit-log': auditLog,
  '/api/v1/secrets': secrets,
  '/api/v1/secrets/[name]': secret,
  '/api/v1/installations/[name]/test-connection': installationTestConnection,
  '/api/v1/installations/[name]/oauth': installationOAuth,
  '/api/v1/installations/[name]/tools/approve': installationToolsApprove,
  '/api/v1/installations/[name]/tools/snapshots': installationToolSnapshots,
  '/api/v1/servers/import': serversImport,
  '/api/v1/servers/[slug]': server,
  '/api/v1/servers/[slug]/server.json': serverJson,
  '/api/v1/servers/[slug]/versions': serverVersions,
  '/api/v1/servers/[slug]/certifications': serverCertifications,
  '/api/v1/certifications/[id]': certification,
  '/api/v1/policy': policy,
  '/api/v1/runs/[id]/cancel': runCancel,
  '/api/v1/runs/[id]/retry': runRetry,
  '/api/v1/workflows/[slug]/versions': workflowVersions,
} as const;

/** Routes outside apiRoute (no API key): the document itself. */
export const PUBLIC_ROUTES = ['/api/v1/openapi.json', '/api/v1/workflow-schema.json'] as const;
