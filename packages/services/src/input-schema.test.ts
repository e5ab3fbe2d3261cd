import { describe, expect, it } from 'vitest';
import type { AppError } from '@manifold/core';
import { validateAgainstSchema } from './input-schema';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name'],
  additionalProperties: false,
};

const errorsFor = (value: unknown) => {
  try {
    validateAgainstSchema(schema, value, 'input');
    return [];
  } catch (error) {
    return (error as AppError).options.fieldErrors ?? [];
  }
};

describe('validateAgainstSchema', () => {
  it('accepts valid input and anything when there is no schema', () => {
    expect(errorsFor({ name: 'Ada', tags: ['x'] })).toEqual([]);
    expect(() => validateAgainstSchema(undefined, 'anything', 'input')).not.toThrow();
  });

  it('names missing properties at their own path', () => {
    expect(errorsFor({})).toEqual([{ path: 'input.name', message: 'Required.' }]);
  });

  it('uses dotted paths with indexes for nested values, and checks formats', () => {
    const paths = errorsFor({ name: 'Ada', email: 'not-an-email', tags: ['ok', 3] }).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['input.email', 'input.tags[1]']));
  });
});
