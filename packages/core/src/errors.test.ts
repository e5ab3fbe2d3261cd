import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, toProblem, validationFailed } from './errors';
import { parseOrThrow } from './zod-errors';

describe('problem details', () => {
  it('maps an AppError to RFC 9457 fields with the status of its code', () => {
    const problem = toProblem(new AppError('idempotency_conflict', 'Key reused.'), '/api/v1/runs');
    expect(problem).toEqual({
      type: 'https://manifold.dev/problems/idempotency-conflict',
      title: 'Idempotency key reused with a different request',
      status: 409,
      detail: 'Key reused.',
      code: 'idempotency_conflict',
      instance: '/api/v1/runs',
    });
  });

  it('carries field paths of validation problems', () => {
    const problem = toProblem(validationFailed([{ path: 'a.b[0]', message: 'Required' }]));
    expect(problem.status).toBe(400);
    expect(problem.detail).toBe('a.b[0]: Required.');
    expect(problem.errors).toEqual([{ path: 'a.b[0]', message: 'Required' }]);
  });

  it('turns zod issues into paths, one per unknown key', () => {
    const schema = z.object({ items: z.array(z.object({ n: z.number() })) }).strict();
    try {
      parseOrThrow(schema, { items: [{ n: 'x' }], extra: 1, other: 2 }, 'body');
      expect.unreachable();
    } catch (error) {
      const paths = (error as AppError).options.fieldErrors!.map((e) => e.path).sort();
      expect(paths).toEqual(['body.extra', 'body.items[0].n', 'body.other']);
    }
  });
});

describe('isAppError', () => {
  it('recognises an AppError from another copy of the module by its shape', async () => {
    const { isAppError } = await import('./errors');
    const foreign = Object.assign(new Error('x'), { name: 'AppError', code: 'not_found', options: {} });
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(Object.assign(new Error('x'), { name: 'AppError', code: 'made_up', options: {} }))).toBe(false);
    expect(isAppError(new Error('plain'))).toBe(false);
  });
});
