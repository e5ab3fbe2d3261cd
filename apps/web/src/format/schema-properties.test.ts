import { describe, expect, it } from 'vitest';
import { describeSchema, typeLabel } from './schema-properties';

describe('describeSchema', () => {
  it('lists properties with types, required marks, descriptions, enums and defaults', () => {
    const rows = describeSchema({
      type: 'object',
      properties: {
        message: { type: 'string', description: 'Text to echo' },
        mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast' },
        count: { type: ['integer', 'null'] },
      },
      required: ['message'],
    });
    expect(rows).toEqual([
      { path: 'message', depth: 0, type: 'string', required: true, description: 'Text to echo' },
      { path: 'mode', depth: 0, type: 'enum', required: false, enumValues: ['"fast"', '"slow"'], defaultValue: '"fast"' },
      { path: 'count', depth: 0, type: 'integer | null', required: false },
    ]);
  });

  it('descends into nested objects and arrays of objects', () => {
    const rows = describeSchema({
      type: 'object',
      properties: {
        options: { type: 'object', properties: { retries: { type: 'number' } }, required: ['retries'] },
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
      },
    });
    expect(rows.map((r) => [r.path, r.type, r.required, r.depth])).toEqual([
      ['options', 'object', false, 0],
      ['options.retries', 'number', true, 1],
      ['items', 'object[]', false, 0],
      ['items[].id', 'string', false, 1],
    ]);
  });

  it('returns nothing for a schema without properties', () => {
    expect(describeSchema({ type: 'object' })).toEqual([]);
    expect(describeSchema(null)).toEqual([]);
  });
});

describe('typeLabel', () => {
  it('labels unions, arrays and untyped schemas', () => {
    expect(typeLabel({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('string | number');
    expect(typeLabel({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(typeLabel({})).toBe('any');
  });
});
