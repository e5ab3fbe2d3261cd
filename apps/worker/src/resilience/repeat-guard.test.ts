import { describe, expect, it } from 'vitest';
import { isUnsafeToRepeat, refuseRepeat } from './repeat-guard';

describe('repeat guard', () => {
  it('treats a step marked idempotent: false, or an explicitly destructive, non-idempotent tool, as unsafe to repeat', () => {
    const snapshot = [
      { name: 'delete', annotations: { destructiveHint: true } },
      { name: 'upsert', annotations: { destructiveHint: true, idempotentHint: true } },
      { name: 'read', annotations: { readOnlyHint: true } },
    ];
    expect(isUnsafeToRepeat(false, snapshot, 'read')).toBe(true);
    expect(isUnsafeToRepeat(undefined, snapshot, 'delete')).toBe(true);
    expect(isUnsafeToRepeat(undefined, snapshot, 'upsert')).toBe(false);
    expect(isUnsafeToRepeat(undefined, snapshot, 'read')).toBe(false);
    expect(isUnsafeToRepeat(undefined, null, 'delete')).toBe(false);
  });

  it('refuses after an attempt left running or ended with an unknown outcome, not after a clear failure', () => {
    expect(refuseRepeat([])).toBeNull();
    expect(refuseRepeat([{ attempt: 1, status: 'failed', errorClass: 'tool_error' }])).toBeNull();
    expect(refuseRepeat([{ attempt: 1, status: 'running', errorClass: null }])).toMatch(/attempt 1 .*worker stopped/);
    expect(refuseRepeat([{ attempt: 2, status: 'failed', errorClass: 'timeout' }])).toMatch(/ended with timeout/);
  });
});
