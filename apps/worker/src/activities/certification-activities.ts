// Certification probing (the worker is where servers run): measures one server version through the MCP
// pool — fresh initializes, tools/list, schemas, ping, N probe calls, a dropped connection, an
// unauthenticated attempt, a canary secret — and records the scored evaluation.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import {
  ADVISORY_SEVERITIES,
  EVALUATOR_VERSION,
  MANIFOLD_META_KEY,
  redactUrl,
  redactUrlsInText,
  scaledLatencyBudgets,
  type MeasuredSandbox,
  type Advisory,
  type ServerMeasurements,
} from '@manifold/core';
import {
  getInstallationById,
  getServerForCertification,
  insertCertification,
  serversToRecertify,
  type Database,
  type SystemDatabase,
} from '@manifold/db';
import { classifyError, type ConnectionSpec, type McpPool, type ProbeSession, type SandboxPolicy, type Tool } from '@manifold/mcp';
import type { CertificationActivities } from '@manifold/workflows';
import { assertLaunchAllowed, CERTIFICATION_SANDBOX_UID, connectionSpecFor, sandboxPolicyFor, type SpecHost } from '../connection-spec';
import type { SecretBinder } from '../secrets/bind-secrets';
import { setupFailure } from '../secrets/setup-failure';

const TIMEOUT_MS = 15_000;
/** A probe call's timeout at latency scale 1: twice the p99 budget, so a slow answer is measured, not cut off. */
const PROBE_TIMEOUT_MS = 2_000;
const INITIALIZE_SAMPLES = 3;
const DEFAULT_PROBE_CALLS = 30;
const require = createRequire(import.meta.url);

type ServerRow = NonNullable<Awaited<ReturnType<typeof getServerForCertification>>>;

interface ProbeTarget {
  method: string;
  run: (session: ProbeSession) => Promise<unknown>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function catalogMeta(server: ServerRow): Record<string, unknown> {
  const meta = (server.metadata as { _meta?: Record<string, unknown> })._meta?.[MANIFOLD_META_KEY];
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
}

/** Compiles an input schema with the draft it names (2020-12 or draft-07); null when valid. */
function schemaError(schema: unknown): string | null {
  try {
    const isDraft2020 =
      typeof (schema as { $schema?: unknown })?.$schema === 'string' && String((schema as { $schema: string }).$schema).includes('2020-12');
    const ajv = isDraft2020 ? new Ajv2020({ strict: false, validateFormats: false }) : new Ajv({ strict: false, validateFormats: false });
    ajv.compile(schema as object);
    return null;
  } catch (error) {
    return message(error).slice(0, 300);
  }
}

/** The probe: the entry's declared probe tool, else a read-only tool needing no arguments, else ping. */
function chooseProbe(server: ServerRow, tools: Tool[], timeoutMs: number): ProbeTarget {
  const declared = catalogMeta(server).probe as { tool?: string; arguments?: Record<string, unknown> } | undefined;
  const callTool = (name: string, args: Record<string, unknown>): ProbeTarget => ({
    method: `tools/call ${name}`,
    run: async (session) => {
      const result = await session.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs });
      if (result.isError) throw new Error(`isError: ${JSON.stringify(result.content).slice(0, 200)}`);
      return result;
    },
  });
  if (declared?.tool && tools.some((t) => t.name === declared.tool)) return callTool(declared.tool, declared.arguments ?? {});
  const safe = tools.find((t) => t.annotations?.readOnlyHint === true && !((t.inputSchema.required as unknown[] | undefined)?.length ?? 0));
  if (safe) return callTool(safe.name, {});
  return { method: 'ping', run: (session) => session.client.ping({ timeout: timeoutMs }) };
}

/** The catalog entry's declared advisories; malformed entries are kept as "high", so a typo cannot hide one. */
function advisoriesOf(server: ServerRow): Advisory[] {
  const raw = catalogMeta(server).advisories;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown): Advisory[] => {
    if (!item || typeof item !== 'object') return [];
    const { id, severity, summary } = item as Record<string, unknown>;
    return [
      {
        id: typeof id === 'string' ? id : 'unnamed-advisory',
        severity: ADVISORY_SEVERITIES.includes(severity as Advisory['severity']) ? (severity as Advisory['severity']) : 'high',
        summary: typeof summary === 'string' ? summary : '',
      },
    ];
  });
}

/**
 * Evidence is stored and shown: URLs in it lose user info and query values (an installation's URL may carry
 * `?api_key=…`), in every text the server or the transport produced too.
 */
function redactEvidence(m: ServerMeasurements): ServerMeasurements {
  return {
    ...m,
    url: m.url === null ? null : redactUrl(m.url),
    connectError: m.connectError === null ? null : redactUrlsInText(m.connectError),
    recoveryDetail: redactUrlsInText(m.recoveryDetail),
    canaryDetail: redactUrlsInText(m.canaryDetail),
    probe: { ...m.probe, failures: m.probe.failures.map(redactUrlsInText) },
  };
}

/** License and release date from the metadata; for npm packages installed with Manifold, from their package.json. */
function maintenanceFacts(server: ServerRow) {
  const metadata = server.metadata as {
    repository?: { url?: string };
    packages?: Array<{ registryType?: string; identifier?: string; environmentVariables?: unknown }>;
    _meta?: Record<string, { publishedAt?: string } | undefined>;
  };
  const meta = catalogMeta(server);
  const pkg = metadata.packages?.[0];
  let installed: { license?: string } = {};
  if (pkg?.registryType === 'npm' && pkg.identifier)
    try {
      installed = require(`${pkg.identifier}/package.json`) as { license?: string };
    } catch {
      installed = {};
    }
  // Date-based versions (2026.8.31) say when they were released; registry metadata says it explicitly.
  const dated = /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/.exec(server.version);
  const releasedAt =
    (typeof meta.releasedAt === 'string' ? meta.releasedAt : null) ??
    metadata._meta?.['io.modelcontextprotocol.registry/official']?.publishedAt ??
    (dated ? new Date(Date.UTC(Number(dated[1]), Number(dated[2]) - 1, Number(dated[3]))).toISOString() : null);
  return {
    declaresEnvironment: server.transport === 'stdio' && Array.isArray(pkg?.environmentVariables),
    version: server.version || null,
    license: (typeof meta.license === 'string' ? meta.license : null) ?? installed.license ?? null,
    repository: server.repository ?? metadata.repository?.url ?? null,
    releasedAt,
  };
}

/** The evidence's copy of the policy: what isolated the process and where it could connect (no uid, no paths). */
function measuredSandbox(policy: SandboxPolicy | undefined): MeasuredSandbox {
  if (!policy) return { sandboxed: false, network: { mode: 'none' }, limits: null };
  return {
    sandboxed: true,
    network:
      policy.network.mode === 'egress'
        ? { mode: 'egress', targets: policy.network.allow.map((target) => `${target.host}:${target.port}`) }
        : { mode: 'none' },
    limits: { ...policy.limits },
  };
}

export function createCertificationActivities(deps: {
  db: Database;
  system: SystemDatabase;
  pool: McpPool;
  dataDir: string;
  /** Sandbox defaults for stdio servers (see SpecHost). */
  sandbox?: SpecHost['sandbox'];
  /** The operator's MANIFOLD_ALLOWED_COMMANDS, re-checked before a team entry's program starts. */
  allowedCommands: readonly string[];
  /** CERTIFICATION_LATENCY_SCALE: the latency budgets times this; recorded with the evidence. */
  certificationLatencyScale?: number;
  /** "Test connection" connects as a run would: with the installation's secrets and OAuth token. */
  bindSecrets?: SecretBinder;
}): CertificationActivities {
  async function specFor(server: ServerRow, input: { teamId?: string; installationId?: string }, canary: string): Promise<ConnectionSpec> {
    const key = `certification:${randomUUID()}`;
    if (input.teamId && input.installationId) {
      const installation = await getInstallationById(deps.db, input.teamId, input.installationId);
      if (!installation || installation.serverId !== server.id)
        throw ApplicationFailure.nonRetryable('The installation does not exist.', 'not_found');
      const spec = connectionSpecFor(installation, deps);
      return spec.transport === 'stdio'
        ? { ...spec, key, env: { ...spec.env, MANIFOLD_CANARY_SECRET: canary } }
        : { ...spec, key, headers: { ...spec.headers, 'X-Manifold-Canary': canary } };
    }
    if (server.transport === 'http') {
      if (!server.url) throw ApplicationFailure.nonRetryable('The remote server has no URL.', 'not_found');
      return { transport: 'http', key, url: server.url, headers: { 'X-Manifold-Canary': canary } };
    }
    assertLaunchAllowed(server, deps.allowedCommands);
    const cwd = path.join(deps.dataDir, 'certification', server.id);
    const sandbox = sandboxPolicyFor(deps, CERTIFICATION_SANDBOX_UID, cwd);
    if (!sandbox) mkdirSync(cwd, { recursive: true });
    return { transport: 'stdio', key, command: server.command, env: { MANIFOLD_CANARY_SECRET: canary }, cwd, ...(sandbox ? { sandbox } : {}) };
  }

  return {
    async measureServer(input) {
      const server = await getServerForCertification(deps.system, input.serverId);
      if (!server || (server.teamId && server.teamId !== input.teamId && input.teamId))
        throw ApplicationFailure.nonRetryable('The catalog server no longer exists.', 'not_found');
      // A random value given to the server as a secret: it must never come back in a response.
      const canary = `mfcanary_${randomBytes(12).toString('hex')}`;
      const spec = await specFor(server, input, canary);
      const withKey = (): ConnectionSpec => ({ ...spec, key: `certification:${randomUUID()}` });
      const m: ServerMeasurements = {
        transport: server.transport,
        url: spec.transport === 'http' ? spec.url : null,
        connected: false,
        connectError: null,
        initialize: null,
        initializeMs: [],
        toolsListed: false,
        tools: [],
        pingOk: false,
        probe: { method: 'ping', attempts: 0, successes: 0, timeouts: 0, durationsMs: [], failures: [] },
        recoveredAfterDrop: null,
        recoveryDetail: 'not measured',
        rejectsUnauthenticated: null,
        canaryEchoed: false,
        canaryDetail: 'The canary secret never came back.',
        metadata: maintenanceFacts(server),
        advisories: advisoriesOf(server),
        latencyBudgets: scaledLatencyBudgets(deps.certificationLatencyScale ?? 1),
        sandbox: spec.transport === 'stdio' ? measuredSandbox(spec.sandbox) : null,
        evaluatedAt: new Date().toISOString(),
      };

      let main: ProbeSession | undefined;
      try {
        // Fresh sessions: initialize latency (spawn + handshake for stdio).
        for (let i = 0; i < INITIALIZE_SAMPLES; i++) {
          let session: ProbeSession;
          try {
            session = await deps.pool.openProbe(withKey(), TIMEOUT_MS);
          } catch (error) {
            m.connectError = classifyError(error, 'initialize').message;
            return { serverVersion: server.version, measurements: redactEvidence(m) };
          }
          m.initializeMs.push(session.initializeMs);
          if (main) await session.close();
          else main = session;
        }
        m.connected = true;
        const client = main!.client;
        const transportVersion = (client.transport as { protocolVersion?: string } | undefined)?.protocolVersion;
        m.initialize = {
          // The SDK refuses a protocol version it does not support, so a session means a supported one.
          protocolVersion: transportVersion ?? 'negotiated (checked by the SDK)',
          serverName: client.getServerVersion()?.name ?? null,
          serverVersion: client.getServerVersion()?.version ?? null,
          hasToolsCapability: !!client.getServerCapabilities()?.tools,
        };

        let tools: Tool[] = [];
        try {
          let cursor: string | undefined;
          do {
            const page = await client.listTools(cursor ? { cursor } : {}, { timeout: TIMEOUT_MS });
            tools.push(...page.tools);
            cursor = page.nextCursor;
          } while (cursor);
          m.toolsListed = true;
        } catch (error) {
          m.connectError = `tools/list failed: ${message(error)}`;
          tools = [];
        }
        m.tools = tools.map((t) => ({
          name: t.name,
          description: t.description ?? '',
          schemaError: schemaError(t.inputSchema),
          isObjectSchema: t.inputSchema?.type === 'object',
          hasSafetyAnnotations: t.annotations?.readOnlyHint !== undefined || t.annotations?.destructiveHint !== undefined,
          readOnly: t.annotations?.readOnlyHint === true,
        }));
        const echoes = (text: string) => text.includes(canary);
        if (tools.some((t) => echoes(JSON.stringify(t)))) {
          m.canaryEchoed = true;
          m.canaryDetail = 'The canary secret appeared in the tool list.';
        }

        try {
          await client.ping({ timeout: PROBE_TIMEOUT_MS * (deps.certificationLatencyScale ?? 1) });
          m.pingOk = true;
        } catch {
          m.pingOk = false;
        }

        const probe = chooseProbe(server, tools, PROBE_TIMEOUT_MS * (deps.certificationLatencyScale ?? 1));
        m.probe.method = probe.method;
        for (let i = 0; i < (input.probeCalls ?? DEFAULT_PROBE_CALLS); i++) {
          m.probe.attempts++;
          const started = performance.now();
          try {
            const result = await probe.run(main!);
            m.probe.durationsMs.push(performance.now() - started);
            m.probe.successes++;
            if (!m.canaryEchoed && echoes(JSON.stringify(result ?? null))) {
              m.canaryEchoed = true;
              m.canaryDetail = `The canary secret came back in a ${probe.method} result.`;
            }
          } catch (error) {
            m.probe.durationsMs.push(performance.now() - started);
            const failure = classifyError(error, probe.method);
            if (failure.errorClass === 'timeout') m.probe.timeouts++;
            if (m.probe.failures.length < 5) m.probe.failures.push(failure.message.slice(0, 200));
          }
        }

        // Drop the connection abruptly, then check that a new session answers.
        await main!.dropAbruptly();
        main = undefined;
        try {
          const again = await deps.pool.openProbe(withKey(), TIMEOUT_MS);
          try {
            await probe.run(again);
            m.recoveredAfterDrop = true;
            m.recoveryDetail = 'After an abrupt disconnect a new session connected and answered the probe.';
          } finally {
            await again.close();
          }
        } catch (error) {
          m.recoveredAfterDrop = false;
          m.recoveryDetail = `After an abrupt disconnect the server did not answer: ${message(error).slice(0, 200)}`;
        }

        if (spec.transport === 'http') {
          // No credentials at all: a production remote server must refuse the session.
          try {
            const anonymous = await deps.pool.openProbe(
              { transport: 'http', key: `certification:${randomUUID()}`, url: spec.url },
              TIMEOUT_MS,
            );
            await anonymous.close();
            m.rejectsUnauthenticated = false;
          } catch (error) {
            m.rejectsUnauthenticated = /\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(message(error));
          }
        }
        return { serverVersion: server.version, measurements: redactEvidence(m) };
      } finally {
        await main?.close();
      }
    },

    async recordCertification(input) {
      const { row, previousTier, flaggedTeams } = await insertCertification(deps.system, {
        serverId: input.serverId,
        serverVersion: input.serverVersion,
        tier: input.evaluation.tier,
        scores: input.evaluation.scores,
        evidence: { checks: input.evaluation.checks, reasons: input.evaluation.reasons, measurements: input.measurements },
        evaluatorVersion: EVALUATOR_VERSION,
        trigger: input.trigger,
        requestedByTeam: input.teamId ?? null,
        ...(input.scope ? { scope: input.scope } : {}),
        startedAt: new Date(input.startedAt),
      });
      return { certificationId: row.id, tier: row.tier, previousTier, flaggedTeams };
    },

    listServersToRecertify: () => serversToRecertify(deps.system),

    async probeConnection({ teamId, installationId }) {
      const installation = await getInstallationById(deps.db, teamId, installationId);
      if (!installation) throw ApplicationFailure.nonRetryable('The server installation no longer exists.', 'not_found');
      let session: ProbeSession | undefined;
      let redactText = (text: string) => text;
      try {
        const binding = deps.bindSecrets ? await deps.bindSecrets(installation, {}) : undefined;
        if (binding) redactText = binding.redactor.redactText;
        const spec = {
          ...connectionSpecFor(installation, deps, binding?.secrets, binding?.authorization),
          key: `test-connection:${randomUUID()}`,
        };
        session = await deps.pool.openProbe(spec, TIMEOUT_MS);
        const started = performance.now();
        const { tools } = await session.client.listTools({}, { timeout: TIMEOUT_MS });
        const info = session.client.getServerVersion();
        return {
          ok: true,
          initializeMs: Math.round(session.initializeMs * 10) / 10,
          listToolsMs: Math.round((performance.now() - started) * 10) / 10,
          server: info ? { name: info.name, version: info.version } : null,
          tools: tools.map((t) => t.name),
          error: null,
        };
      } catch (error) {
        // A failed test is the answer, not an activity failure.
        return {
          ok: false,
          initializeMs: null,
          listToolsMs: null,
          server: null,
          tools: [],
          error: redactText(classifyError(setupFailure(error), `connecting to "${installation.name}"`).message),
        };
      } finally {
        await session?.close();
      }
    },
  };
}
