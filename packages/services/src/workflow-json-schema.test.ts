// The published JSON Schema (generated from zod) accepts what the zod schema accepts and rejects what it rejects.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { workflowDefinitionJsonSchema } from '@manifold/core';

const validate = new Ajv2020({ strict: false }).compile(workflowDefinitionJsonSchema());

describe('workflow definition JSON Schema', () => {
  it('accepts a definition with every step kind, nested', () => {
    const definition = {
      steps: [
        { id: 'a', type: 'tool', server: 's', tool: 't', args: { m: '{{ $input.x }}' }, retry: { jitter: 0.2 }, catch: { value: null } },
        { id: 'm', type: 'map', items: '{{ $input.list }}', maxConcurrency: 5, steps: [{ id: 'b', type: 'wait', duration: '1s' }] },
        { id: 'p', type: 'parallel', branches: { x: [{ id: 'c', type: 'tool', server: 's', tool: 't' }] } },
        { id: 'q', type: 'choice', choices: [{ when: '{{ true }}', steps: [{ id: 'd', type: 'wait', duration: 5 }] }] },
      ],
    };
    expect(validate(definition), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects unknown kinds and unknown fields deep inside', () => {
    expect(validate({ steps: [{ id: 'a', type: 'teleport' }] })).toBe(false);
    expect(
      validate({ steps: [{ id: 'm', type: 'map', items: '{{ [1] }}', steps: [{ id: 'b', type: 'wait', duration: '1s', bogus: 1 }] }] }),
    ).toBe(false);
  });
});
