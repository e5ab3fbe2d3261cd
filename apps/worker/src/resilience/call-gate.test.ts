import { describe, expect, it } from 'vitest';
import { breakerSettingsSchema, TOOL_ERROR_CLASSES } from '@manifold/core';
import { verdictOf } from './call-gate';

describe('verdictOf (what a call tells the circuit breaker)', () => {
  const defaults = breakerSettingsSchema.parse({});

  it('counts only failures that say the server is unhealthy', () => {
    const failures = TOOL_ERROR_CLASSES.filter((errorClass) => verdictOf(errorClass, defaults) === 'failure');
    expect(failures).toEqual(['transport_error', 'timeout', 'protocol_error']);
  });

  it("does not count a tool's own error or refused arguments by default, so one workflow cannot open the circuit", () => {
    expect(defaults.countToolErrors).toBe(false);
    expect(verdictOf('tool_error', defaults)).toBe('neutral');
    expect(verdictOf('invalid_arguments', { countToolErrors: true })).toBe('neutral');
  });

  it('counts tool errors where the installation says so', () => {
    expect(verdictOf('tool_error', { countToolErrors: true })).toBe('failure');
  });

  it('treats a success as a success and a cancellation as neither', () => {
    expect(verdictOf(null)).toBe('success');
    expect(verdictOf('cancelled')).toBe('neutral');
  });
});
