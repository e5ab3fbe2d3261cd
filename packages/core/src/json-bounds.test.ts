import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from './errors';
import { createRunBody, createWorkflowBody } from './api';
import { findJsonBoundsViolation, JSON_BOUNDS } from './json-bounds';
import { parseOrThrow } from './zod-errors';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

const fieldErrors = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, fieldErrors: error.options.fieldErrors };
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('JSON bounds', () => {
  it('names the field holding a NUL character, in values and in keys', () => {
    expect(findJsonBoundsViolation({ a: [{ b: 'x\u0000y' }] })).toMatchObject({ path: ['a', 0, 'b'] });
    expect(findJsonBoundsViolation({ a: { 'k\u0000': 1 } })).toMatchObject({ path: ['a'], message: expect.stringMatching(/Field names/) });
    expect(findJsonBoundsViolation({ a: ['fine', 1, null, true] })).toBeNull();
  });

  it('refuses nesting 10,000 levels deep without overflowing the stack', () => {
    expect(findJsonBoundsViolation(nested(10_000))?.path).toHaveLength(JSON_BOUNDS.maxDepth);
    expect(findJsonBoundsViolation(nested(JSON_BOUNDS.maxDepth - 1))).toBeNull();
  });

  it('refuses over-long arrays', () => {
    expect(findJsonBoundsViolation({ list: new Array(JSON_BOUNDS.maxArrayLength + 1).fill(0) })).toMatchObject({ path: ['list'] });
  });

  it('parseOrThrow answers validation_failed with the path, before the schema runs', () => {
    expect(fieldErrors(() => parseOrThrow(z.object({ name: z.string() }), { name: 'a\u0000' }))).toEqual({
      code: 'validation_failed',
      fieldErrors: [{ path: 'name', message: 'Must not contain NUL characters (\\u0000).' }],
    });
    expect(fieldErrors(() => parseOrThrow(z.object({ id: z.string() }), { id: '\u0000' }, 'params')).fieldErrors?.[0]?.path).toBe(
      'params.id',
    );
    const deep = fieldErrors(() => parseOrThrow(createRunBody, { workflow: 'flow', input: { x: nested(10_000) } }));
    expect(deep.fieldErrors?.[0]?.path).toMatch(/^input\.x(\.a)+$/);
  });

  it('the schemas hold the bounds themselves (for callers that safeParse)', () => {
    const result = createWorkflowBody.safeParse({ slug: 'flow', name: 'Flow', definition: nested(5_000) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe('definition');
  });
});
