import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './client';

describe('isDatabaseUnavailable', () => {
  it('recognises an unreachable or dropped database, as Prisma and the pg adapter report it', () => {
    expect(isDatabaseUnavailable({ code: 'P1001', message: "Can't reach database server at 127.0.0.1:5432" })).toBe(true);
    expect(isDatabaseUnavailable({ code: 'P2024', message: 'Timed out fetching a new connection from the pool' })).toBe(true);
    expect(
      isDatabaseUnavailable({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } } }),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Raw query failed. Message: `Connection terminated unexpectedly`'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('FATAL: the database system is shutting down'))).toBe(true);
  });

  it('does not take a query error for an outage', () => {
    expect(isDatabaseUnavailable({ code: 'P2002', message: 'Unique constraint failed' })).toBe(false);
    expect(isDatabaseUnavailable({ code: 'P2025', message: 'Record not found' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('column "x" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('P1001')).toBe(false);
  });
});
