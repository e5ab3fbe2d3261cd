import { describe, expect, it } from 'vitest';
import { ExpressionError, renderTemplate } from './templates';

const scope = { input: { name: 'Ada', items: [1, 2, 3] }, steps: { say: { text: 'Echo: hi', structuredContent: { n: 4 } } } };

describe('renderTemplate', () => {
  it('keeps the type of a whole-string expression', async () => {
    expect(await renderTemplate('{{ $input.items }}', scope)).toEqual([1, 2, 3]);
    expect(await renderTemplate('{{ $steps.say.structuredContent.n + 1 }}', scope)).toBe(5);
  });

  it('interpolates expressions inside text', async () => {
    expect(await renderTemplate('Hello {{ $input.name }}, you have {{ $count($input.items) }} items', scope)).toBe(
      'Hello Ada, you have 3 items',
    );
  });

  it('reads a string that starts and ends with templates as text, not as one expression', async () => {
    expect(await renderTemplate('{{ $input.name }} and {{ $count($input.items) }}', scope)).toBe('Ada and 3');
  });

  it('exposes $item, $index and $error when the scope has them', async () => {
    expect(
      await renderTemplate('{{ $string($index) & $item & $error.errorClass }}', {
        ...scope,
        item: 'x',
        index: 2,
        error: { errorClass: 'timeout' },
      }),
    ).toBe('2xtimeout');
  });

  it('renders nested objects and arrays, leaving literals alone', async () => {
    expect(await renderTemplate({ a: ['{{ $input.name }}', 2, null], b: { c: true, d: 'plain' } }, scope)).toEqual({
      a: ['Ada', 2, null],
      b: { c: true, d: 'plain' },
    });
  });

  it('gives null for a path that does not exist', async () => {
    expect(await renderTemplate('{{ $input.missing }}', scope)).toBeNull();
  });

  it('reports a failing expression with its path', async () => {
    await expect(renderTemplate({ m: '{{ $number("x") }}' }, scope, 'steps.a.args')).rejects.toThrow(ExpressionError);
    await expect(renderTemplate({ m: '{{ $number("x") }}' }, scope, 'steps.a.args')).rejects.toThrow(/steps\.a\.args\.m/);
  });
});
