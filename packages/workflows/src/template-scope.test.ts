import { describe, expect, it } from 'vitest';
import { scopeFor } from './template-scope';

const scope = { input: { secret: 'in' }, steps: { a: 1, b: { big: true }, 'c-d': 3 } };

describe('scopeFor', () => {
  it('keeps only the steps a template names, and $input only when it is used', () => {
    expect(scopeFor({ x: '{{ $steps.a + 1 }}', y: ["{{ $steps['c-d'] }}"] }, scope)).toEqual({ input: null, steps: { a: 1, 'c-d': 3 } });
    expect(scopeFor('{{ $input.secret & $string($steps.b) }}', scope)).toEqual({ input: { secret: 'in' }, steps: { b: { big: true } } });
    expect(scopeFor('no template', scope)).toEqual({ input: null, steps: {} });
  });

  it('keeps every step when an expression uses $steps in a way it cannot follow', () => {
    expect(scopeFor("{{ $lookup($steps, 'a') }}", scope).steps).toEqual(scope.steps);
    expect(scopeFor('{{ ($s := $steps; $s.a) }}', scope).steps).toEqual(scope.steps);
  });

  it('always keeps $item, $index and $error where they exist', () => {
    expect(scopeFor('{{ 1 }}', { ...scope, item: { $manifoldPayload: 'p' }, index: 3, error: { errorClass: 'x' } })).toEqual({
      input: null,
      steps: {},
      item: { $manifoldPayload: 'p' },
      index: 3,
      error: { errorClass: 'x' },
    });
  });
});
