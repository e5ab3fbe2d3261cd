import { describe, expect, it } from 'vitest';
import { evaluate, type ServerMeasurements } from './tier-rules';

/** A stdio server that passes every check. */
function excellent(): ServerMeasurements {
  return {
    transport: 'stdio',
    url: null,
    connected: true,
    connectError: null,
    initialize: { protocolVersion: '2025-06-18', serverName: 's', serverVersion: '1.0.0', hasToolsCapability: true },
    initializeMs: [50, 60, 70],
    toolsListed: true,
    tools: [{ name: 'query', description: 'Runs a query.', schemaError: null, isObjectSchema: true, hasSafetyAnnotations: true, readOnly: true }],
    pingOk: true,
    probe: { method: 'tools/call query', attempts: 30, successes: 30, timeouts: 0, durationsMs: Array(30).fill(2), failures: [] },
    recoveredAfterDrop: true,
    recoveryDetail: 'ok',
    rejectsUnauthenticated: null,
    canaryEchoed: false,
    canaryDetail: 'never came back',
    metadata: { declaresEnvironment: true, version: '1.0.0', license: 'MIT', repository: 'https://x', releasedAt: '2026-11-01T00:00:00Z' },
    evaluatedAt: '2026-12-01T00:00:00Z',
  };
}

describe('advisories in the tier rules', () => {
  it('reaches certified without advisories', () => {
    const evaluation = evaluate(excellent());
    expect(evaluation.tier).toBe('certified');
    expect(evaluation.checks.find((c) => c.id === 'no_known_advisories')?.passed).toBe(true);
  });

  it('a high advisory lowers security and caps the tier below certified, naming the advisory', () => {
    const advisory = { id: 'readonly-bypass', severity: 'high' as const, summary: 'COMMIT ends the read-only transaction.' };
    const evaluation = evaluate({ ...excellent(), advisories: [advisory] });
    expect(evaluation.tier).toBe('verified');
    expect(evaluation.scores.security).toBeLessThan(evaluate(excellent()).scores.security);
    expect(evaluation.checks.find((c) => c.id === 'no_known_advisories')).toMatchObject({
      passed: false,
      detail: expect.stringContaining('readonly-bypass (high)'),
    });
    expect(evaluation.reasons[0]).toMatch(/certified is not possible with advisory readonly-bypass \(high\)/);
  });

  it('a low advisory costs security points but does not cap the tier by itself', () => {
    const evaluation = evaluate({ ...excellent(), advisories: [{ id: 'a', severity: 'low', summary: 'minor' }] });
    expect(evaluation.checks.find((c) => c.id === 'no_known_advisories')?.passed).toBe(false);
    expect(evaluation.reasons.some((r) => r.startsWith('certified is not possible'))).toBe(false);
  });
});
