import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { choice, map, parallel, tool, wait, when, workflow } from './builder';

describe('workflow builder', () => {
  it('builds a definition of every kind that validates and fills defaults', () => {
    const definition = workflow()
      .input({ type: 'object' })
      .step(
        tool('first', 'everything', 'echo', { message: 'hi' }, { retry: { maxAttempts: 5, jitter: 0.5 }, idempotent: false }),
        map('each', '{{ $input.list }}', [tool('one', 'fixture', 'echo', { message: '{{ $item }}' })], { maxConcurrency: 3 }),
        parallel('both', { a: [wait('pause', '10ms')], b: [tool('b1', 'fixture', 'echo', {}, { catch: { value: null } })] }),
        choice('pick', [when('{{ $count($steps.each) > 1 }}', [tool('many', 'fixture', 'echo')])], { otherwise: [wait('idle', 5)] }),
      )
      .output('{{ $steps.each }}')
      .build();
    expect(definition.steps.map((s) => s.type)).toEqual(['tool', 'map', 'parallel', 'choice']);
    expect(definition.steps[0]).toMatchObject({ retry: { maxAttempts: 5, jitter: 0.5, initialInterval: '1s' }, idempotent: false });
    expect(definition.steps[1]).toMatchObject({ maxConcurrency: 3 });
    expect(definition.steps[3]).toMatchObject({ default: [{ id: 'idle' }] });
  });

  it('refuses what the validator refuses, with paths', () => {
    expect(() =>
      workflow()
        .step(tool('a', 's', 't', { m: '{{ $steps.zzz }}' }))
        .build(),
    ).toThrow(AppError);
  });
});
