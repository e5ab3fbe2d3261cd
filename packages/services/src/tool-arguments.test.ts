import { describe, expect, it } from 'vitest';
import { checkToolArguments } from './tool-arguments';

const schema = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } },
  required: ['a', 'b'],
  additionalProperties: false,
};

describe('checkToolArguments', () => {
  it('accepts literal arguments that fit and templates whose value is unknown until run time', () => {
    expect(checkToolArguments(schema, { a: 1, b: '{{ $steps.x.n }}', tags: ['{{ $input.t }}'] }, 'args')).toEqual([]);
  });

  it('reports wrong literal types, missing and unknown arguments at their paths', () => {
    expect(checkToolArguments(schema, { a: 'one', tags: [3], c: true }, 'definition.steps[0].args')).toEqual(
      expect.arrayContaining([
        { path: 'definition.steps[0].args.a', message: expect.stringMatching(/number/) },
        { path: 'definition.steps[0].args.tags[0]', message: expect.stringMatching(/string/) },
        { path: 'definition.steps[0].args.b', message: 'Required by the tool.' },
        { path: 'definition.steps[0].args.c', message: 'The tool has no such argument.' },
      ]),
    );
  });

  it('skips tools without a usable schema', () => {
    expect(checkToolArguments(undefined, { a: 1 }, 'args')).toEqual([]);
    expect(checkToolArguments({ type: 'nonsense-type' }, { a: 1 }, 'args')).toEqual([]);
  });
});
