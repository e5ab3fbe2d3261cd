import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrors, lineColumn, parsePath, rangeOfPath } from './json-location';

const text = JSON.stringify(
  {
    steps: [
      { id: 'a', type: 'tool', server: 'fs', tool: 'read', args: { path: '/tmp/x', 'odd key': 1 } },
      { id: 'b', type: 'wait' },
    ],
  },
  null,
  2,
);
const at = (from: number, to: number) => text.slice(from, to);

describe('parsePath', () => {
  it('splits dotted keys and indexes', () => {
    expect(parsePath('steps[2].args.path')).toEqual(['steps', 2, 'args', 'path']);
    expect(parsePath('steps[0].branches.left[1].id')).toEqual(['steps', 0, 'branches', 'left', 1, 'id']);
    expect(parsePath('')).toEqual([]);
  });
});

describe('rangeOfPath', () => {
  it('finds the value at a path', () => {
    const range = rangeOfPath(text, 'steps[0].args.path')!;
    expect(at(range.from, range.to)).toBe('"/tmp/x"');
    expect(lineColumn(text, range.from)).toEqual({ line: 9, column: 17 });
  });

  it('finds keys with spaces and whole steps', () => {
    const odd = rangeOfPath(text, ['steps', 0, 'args', 'odd key'])!;
    expect(at(odd.from, odd.to)).toBe('1');
    const step = rangeOfPath(text, 'steps[1]')!;
    expect(JSON.parse(at(step.from, step.to))).toEqual({ id: 'b', type: 'wait' });
  });

  it('falls back to the deepest existing ancestor for a missing field', () => {
    const range = rangeOfPath(text, 'steps[1].duration')!;
    expect(JSON.parse(at(range.from, range.to))).toEqual({ id: 'b', type: 'wait' });
  });

  it('is null when the text has no JSON at all', () => {
    expect(rangeOfPath('', 'steps')).toBeNull();
  });
});

describe('jsonSyntaxErrors', () => {
  it('is empty for valid JSON', () => {
    expect(jsonSyntaxErrors(text)).toEqual([]);
  });

  it('reports the line and column of a missing comma', () => {
    const [error] = jsonSyntaxErrors('{\n  "a": 1\n  "b": 2\n}');
    expect(error).toMatchObject({ line: 3, column: 3, message: 'Expected "," at line 3, column 3.' });
  });

  it('refuses trailing commas, comments and empty text', () => {
    expect(jsonSyntaxErrors('{"a": 1,}')).not.toEqual([]);
    expect(jsonSyntaxErrors('{"a": 1 // c\n}')).not.toEqual([]);
    expect(jsonSyntaxErrors('  ')).toHaveLength(1);
  });
});
