// Certification scoring and the tier rules, in one place (documented in docs/tiers.md). Pure: the worker
// measures a server (ServerMeasurements), the certification workflow turns the measurements into scored,
// evidenced checks and a tier with these functions.
import type { Tier } from './server-json';

export const EVALUATOR_VERSION = '1.1.0'; // 1.1: known advisories in the security dimension

export const DIMENSIONS = ['reliability', 'performance', 'security', 'conformance'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Scores = Record<Dimension, number>;

/** `verified` needs these floors; `certified` needs every dimension at or above CERTIFIED_FLOORS. */
export const VERIFIED_FLOORS: Partial<Scores> = { conformance: 70, reliability: 80, performance: 60 };
export const CERTIFIED_FLOORS: Scores = { reliability: 90, performance: 75, security: 80, conformance: 80 };

/** Latency budgets (ms) for the performance checks. */
export const LATENCY_BUDGETS = { initializeP50: 1_500, callP50: 100, callP95: 250, callP99: 1_000 } as const;
export type LatencyBudgets = { [K in keyof typeof LATENCY_BUDGETS]: number };

/**
 * The budgets a worker applies: the reference budgets times CERTIFICATION_LATENCY_SCALE. An operator on slow or
 * shared hardware (and the test suite on a loaded 2-core machine) widens them; the evidence records what applied.
 */
export function scaledLatencyBudgets(scale: number): LatencyBudgets {
  return Object.fromEntries(Object.entries(LATENCY_BUDGETS).map(([name, ms]) => [name, ms * scale])) as LatencyBudgets;
}

export interface Check {
  id: string;
  dimension: Dimension;
  passed: boolean;
  /** Share of the dimension's score. */
  weight: number;
  /** What was measured, or why it failed, in words. */
  detail: string;
  value?: unknown;
  /** Not applicable to this kind of server (e.g. TLS for stdio): not counted. */
  skipped?: boolean;
}

/** Everything the worker measured about one server version. Times in ms. */
export interface ServerMeasurements {
  transport: 'stdio' | 'http';
  url: string | null;
  connected: boolean;
  connectError: string | null;
  initialize: {
    protocolVersion: string | null;
    serverName: string | null;
    serverVersion: string | null;
    hasToolsCapability: boolean;
  } | null;
  /** Fresh initialize durations (one per new session). */
  initializeMs: number[];
  toolsListed: boolean;
  tools: Array<{
    name: string;
    description: string;
    /** null when the schema compiles as JSON Schema; else the compiler's message. */
    schemaError: string | null;
    isObjectSchema: boolean;
    hasSafetyAnnotations: boolean;
    readOnly: boolean;
  }>;
  pingOk: boolean;
  probe: {
    /** "ping" or the read-only tool used. */
    method: string;
    attempts: number;
    successes: number;
    timeouts: number;
    durationsMs: number[];
    failures: string[];
  };
  /** After the session was dropped on purpose, a new one answered. */
  recoveredAfterDrop: boolean | null;
  recoveryDetail: string;
  /** http only: an initialize without any credentials was refused (401/403). null for stdio. */
  rejectsUnauthenticated: boolean | null;
  /** A canary secret given to the server appeared in a response or description. */
  canaryEchoed: boolean;
  canaryDetail: string;
  metadata: {
    declaresEnvironment: boolean;
    version: string | null;
    license: string | null;
    repository: string | null;
    releasedAt: string | null;
  };
  /** Known advisories of the catalog entry (`_meta["io.manifold/catalog"].advisories`); absent in older evidence. */
  advisories?: Advisory[];
  /** The budgets the performance checks used (absent in older evidence: the reference LATENCY_BUDGETS). */
  latencyBudgets?: LatencyBudgets;
  /** stdio: the sandbox the measured process ran in (null for remote servers; absent in older evidence). */
  sandbox?: MeasuredSandbox | null;
  /** ISO time of the evaluation (release age is measured from it). */
  evaluatedAt: string;
}

/** The sandbox policy a certification ran the server under: part of the evidence, so a tier names its conditions. */
export interface MeasuredSandbox {
  sandboxed: boolean;
  network: { mode: 'none' } | { mode: 'egress'; targets: string[] };
  limits: { memoryMiB: number; cpuSeconds: number; processes: number; openFiles: number; fileSizeMiB: number } | null;
}

// Plain data, no zod: this module is part of the workflow bundle (workflow-runtime); launch-declarations.ts
// validates catalog entries against these.
export const ADVISORY_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

/** A known flaw of a catalog server, declared by whoever curates the catalog entry. */
export interface Advisory {
  id: string;
  severity: AdvisorySeverity;
  summary: string;
}

/** Advisories at these severities keep a server below `certified`, whatever it scores. */
const BLOCKING_SEVERITIES: readonly AdvisorySeverity[] = ['high', 'critical'];

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// ------------------------------------------------------------------ prompt-injection scan

const INJECTION_MARKERS: Array<{ id: string; pattern: RegExp; what: string }> = [
  {
    id: 'invisible_characters',
    pattern: /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u{e0000}-\u{e007f}]/u,
    what: 'invisible or zero-width characters',
  },
  {
    id: 'hidden_instruction_tags',
    pattern: /<\s*(important|system|instructions?|secret|hidden)\b[^>]*>/i,
    what: 'hidden-instruction tags',
  },
  {
    id: 'override_instructions',
    pattern: /\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|other|all)\b.{0,20}\b(instructions?|rules?|prompts?)\b/i,
    what: 'instructions to override the prompt',
  },
  {
    id: 'conceal_from_user',
    pattern: /\b(do not|don't|never)\b.{0,30}\b(tell|inform|mention|reveal|show)\b.{0,30}\b(user|human)\b/i,
    what: 'requests to hide actions from the user',
  },
  {
    id: 'cross_tool_data',
    pattern: /\b(read|pass|send|include|forward|use)\b.{0,60}\b(other|every|all|another)\b.{0,20}\btools?\b/i,
    what: "requests to read or pass other tools' data",
  },
  {
    id: 'sensitive_files',
    pattern: /(~\/\.ssh|id_rsa|\.aws\/credentials|\.env\b|\/etc\/passwd|mcp\.json|private key)/i,
    what: 'references to credentials or private files',
  },
  { id: 'before_using_tool', pattern: /\bbefore (using|calling) (this|any) tool\b/i, what: 'preconditions addressed to the model' },
];

/** The prompt-injection markers found in one description (ids). */
export function scanDescription(description: string): string[] {
  return INJECTION_MARKERS.filter((m) => m.pattern.test(description)).map((m) => m.id);
}

export const describeMarker = (id: string) => INJECTION_MARKERS.find((m) => m.id === id)?.what ?? id;

// ------------------------------------------------------------------ dimensions

const check = (c: Check) => c;

function reliabilityChecks(m: ServerMeasurements): Check[] {
  const { attempts, successes, timeouts, failures } = m.probe;
  const rate = attempts ? successes / attempts : 0;
  return [
    check({
      id: 'probe_success_rate',
      dimension: 'reliability',
      passed: rate >= 0.99,
      weight: 3,
      value: { attempts, successes, rate },
      detail: `${successes}/${attempts} ${m.probe.method} probes succeeded (${(rate * 100).toFixed(1)}%; 99% needed)${failures.length ? `; first failures: ${failures.slice(0, 3).join(' | ')}` : ''}`,
    }),
    check({
      id: 'recovers_after_drop',
      dimension: 'reliability',
      passed: m.recoveredAfterDrop === true,
      weight: 1,
      detail: m.recoveryDetail,
    }),
    check({
      id: 'no_timeouts',
      dimension: 'reliability',
      passed: attempts > 0 && timeouts === 0,
      weight: 1,
      value: { timeouts },
      detail: timeouts === 0 ? 'No probe timed out.' : `${timeouts} of ${attempts} probes timed out.`,
    }),
  ];
}

function performanceChecks(m: ServerMeasurements): Check[] {
  const init50 = percentile(m.initializeMs, 50);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(m.probe.durationsMs, p) ?? null) as [
    number | null,
    number | null,
    number | null,
  ];
  const budgets = m.latencyBudgets ?? LATENCY_BUDGETS;
  const within = (value: number | null, budget: number) => value !== null && value <= budget;
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
  return [
    check({
      id: 'initialize_p50',
      dimension: 'performance',
      passed: within(init50, budgets.initializeP50),
      weight: 1,
      value: { p50: init50, p95: percentile(m.initializeMs, 95), p99: percentile(m.initializeMs, 99), samples: m.initializeMs.length },
      detail: `initialize p50 ${ms(init50)} (budget ${budgets.initializeP50} ms)`,
    }),
    check({
      id: 'call_p50',
      dimension: 'performance',
      passed: within(p50, budgets.callP50),
      weight: 1,
      value: p50,
      detail: `${m.probe.method} p50 ${ms(p50)} (budget ${budgets.callP50} ms)`,
    }),
    check({
      id: 'call_p95',
      dimension: 'performance',
      passed: within(p95, budgets.callP95),
      weight: 1,
      value: p95,
      detail: `${m.probe.method} p95 ${ms(p95)} (budget ${budgets.callP95} ms)`,
    }),
    check({
      id: 'call_p99',
      dimension: 'performance',
      passed: within(p99, budgets.callP99),
      weight: 1,
      value: p99,
      detail: `${m.probe.method} p99 ${ms(p99)} (budget ${budgets.callP99} ms)`,
    }),
  ];
}

function securityChecks(m: ServerMeasurements): Check[] {
  const isRemote = m.transport === 'http';
  const poisoned = m.tools.map((t) => ({ tool: t.name, markers: scanDescription(t.description) })).filter((t) => t.markers.length);
  const annotated = m.tools.filter((t) => t.hasSafetyAnnotations).length;
  const advisories = m.advisories ?? [];
  return [
    check({
      id: 'remote_tls',
      dimension: 'security',
      passed: isRemote && (m.url ?? '').startsWith('https:'),
      weight: 2,
      skipped: !isRemote,
      detail: isRemote
        ? (m.url ?? '').startsWith('https:')
          ? 'Served over TLS.'
          : `Served without TLS (${m.url ?? '?'}).`
        : 'stdio: no network.',
    }),
    check({
      id: 'remote_requires_auth',
      dimension: 'security',
      passed: m.rejectsUnauthenticated === true,
      weight: 2,
      skipped: !isRemote,
      detail: !isRemote
        ? 'stdio: no network.'
        : m.rejectsUnauthenticated
          ? 'Refused a session without credentials.'
          : 'Accepted a session without any credentials.',
    }),
    check({
      id: 'stdio_declares_env',
      dimension: 'security',
      passed: m.metadata.declaresEnvironment,
      weight: 1,
      skipped: isRemote,
      detail: m.metadata.declaresEnvironment
        ? 'The package declares its environment variables.'
        : 'The package does not declare its environment variables.',
    }),
    check({
      id: 'no_prompt_injection',
      dimension: 'security',
      passed: poisoned.length === 0,
      weight: 3,
      value: poisoned,
      detail: poisoned.length
        ? `Prompt-injection markers in ${poisoned.map((p) => `"${p.tool}" (${p.markers.map(describeMarker).join(', ')})`).join('; ')}`
        : `No prompt-injection markers in ${m.tools.length} tool descriptions.`,
    }),
    check({
      id: 'no_known_advisories',
      dimension: 'security',
      passed: advisories.length === 0,
      weight: 3,
      value: advisories,
      detail: advisories.length
        ? `Known advisories: ${advisories.map((a) => `${a.id} (${a.severity}): ${a.summary}`).join('; ')}`
        : 'No known advisories for this catalog entry.',
    }),
    check({ id: 'no_secret_echo', dimension: 'security', passed: !m.canaryEchoed, weight: 1, detail: m.canaryDetail }),
    check({
      id: 'tool_annotations',
      dimension: 'security',
      passed: m.tools.length > 0 && annotated / m.tools.length >= 0.8,
      weight: 1,
      value: { annotated, tools: m.tools.length },
      detail: `${annotated}/${m.tools.length} tools declare readOnlyHint or destructiveHint (80% needed).`,
    }),
  ];
}

function conformanceChecks(m: ServerMeasurements): Check[] {
  const init = m.initialize;
  const badSchemas = m.tools.filter((t) => t.schemaError !== null || !t.isObjectSchema);
  const releasedDays =
    m.metadata.releasedAt === null ? null : Math.floor((Date.parse(m.evaluatedAt) - Date.parse(m.metadata.releasedAt)) / 86_400_000);
  return [
    check({
      id: 'initialize_well_formed',
      dimension: 'conformance',
      passed: !!init && !!init.protocolVersion && !!init.serverName && !!init.serverVersion && init.hasToolsCapability,
      weight: 2,
      value: init,
      detail: init
        ? `protocol ${init.protocolVersion ?? '?'}, server ${init.serverName ?? '?'} ${init.serverVersion ?? '?'}, tools capability ${init.hasToolsCapability ? 'declared' : 'missing'}`
        : `initialize failed: ${m.connectError ?? 'unknown'}`,
    }),
    check({
      id: 'tools_list_well_formed',
      dimension: 'conformance',
      passed: m.toolsListed && m.tools.length > 0,
      weight: 2,
      detail: m.toolsListed ? `${m.tools.length} tools listed.` : 'tools/list failed.',
    }),
    check({ id: 'ping', dimension: 'conformance', passed: m.pingOk, weight: 1, detail: m.pingOk ? 'ping answered.' : 'ping failed.' }),
    check({
      id: 'input_schemas_valid',
      dimension: 'conformance',
      passed: m.toolsListed && badSchemas.length === 0,
      weight: 2,
      value: badSchemas.map((t) => ({ tool: t.name, error: t.schemaError ?? 'not an object schema' })),
      detail: badSchemas.length
        ? `Invalid input schemas: ${badSchemas.map((t) => `${t.name} (${t.schemaError ?? 'type is not object'})`).join('; ')}`
        : 'Every input schema compiles as JSON Schema.',
    }),
    check({
      id: 'declares_version',
      dimension: 'conformance',
      passed: !!m.metadata.version && m.metadata.version !== '0.0.0',
      weight: 1,
      detail: `version ${m.metadata.version ?? 'missing'}`,
    }),
    check({
      id: 'declares_license',
      dimension: 'conformance',
      passed: !!m.metadata.license,
      weight: 1,
      detail: `license ${m.metadata.license ?? 'missing'}`,
    }),
    check({
      id: 'declares_repository',
      dimension: 'conformance',
      passed: !!m.metadata.repository,
      weight: 1,
      detail: `repository ${m.metadata.repository ?? 'missing'}`,
    }),
    check({
      id: 'recent_release',
      dimension: 'conformance',
      passed: releasedDays !== null && releasedDays <= 365,
      weight: 1,
      value: releasedDays,
      detail: releasedDays === null ? 'release date unknown' : `released ${releasedDays} days ago (365 allowed)`,
    }),
  ];
}

export interface Evaluation {
  tier: Tier;
  scores: Scores;
  checks: Check[];
  /** Why the tier is not higher: the failed floors and checks, in words. */
  reasons: string[];
}

function score(checks: Check[], dimension: Dimension): number {
  const counted = checks.filter((c) => c.dimension === dimension && !c.skipped);
  const total = counted.reduce((sum, c) => sum + c.weight, 0);
  return total === 0 ? 0 : Math.round((100 * counted.filter((c) => c.passed).reduce((sum, c) => sum + c.weight, 0)) / total);
}

/** THE tier rules. unverified: never evaluated or could not connect and list tools; community: connects and lists tools; verified: conformance, reliability and performance floors; certified: every dimension above its threshold. */
export function evaluate(m: ServerMeasurements): Evaluation {
  const checks = [...reliabilityChecks(m), ...performanceChecks(m), ...securityChecks(m), ...conformanceChecks(m)];
  const scores = Object.fromEntries(DIMENSIONS.map((d) => [d, score(checks, d)])) as Scores;
  const failed = checks.filter((c) => !c.passed && !c.skipped).map((c) => `${c.dimension}/${c.id}: ${c.detail}`);
  if (!m.connected || !m.toolsListed)
    return {
      tier: 'unverified',
      scores,
      checks,
      reasons: [`Could not connect and list tools: ${m.connectError ?? 'tools/list failed'}`, ...failed],
    };
  const below = (floors: Partial<Scores>) =>
    Object.entries(floors)
      .filter(([d, floor]) => scores[d as Dimension] < floor!)
      .map(([d, floor]) => `${d} ${scores[d as Dimension]} < ${floor}`);
  const missVerified = below(VERIFIED_FLOORS);
  if (missVerified.length)
    return { tier: 'community', scores, checks, reasons: [...missVerified.map((r) => `verified needs ${r}`), ...failed] };
  const missCertified = below(CERTIFIED_FLOORS).map((r) => `certified needs ${r}`);
  // A known high or critical flaw is not outweighed by good measurements: the cap names the advisory.
  const blocked = (m.advisories ?? [])
    .filter((a) => BLOCKING_SEVERITIES.includes(a.severity))
    .map((a) => `certified is not possible with advisory ${a.id} (${a.severity}): ${a.summary}`);
  if (blocked.length || missCertified.length) return { tier: 'verified', scores, checks, reasons: [...blocked, ...missCertified, ...failed] };
  return { tier: 'certified', scores, checks, reasons: failed };
}

export const tierRank = (tier: Tier): number => ['unverified', 'community', 'verified', 'certified'].indexOf(tier);
