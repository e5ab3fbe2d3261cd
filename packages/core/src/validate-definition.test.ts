import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { validateDefinition, type InstallationCatalog } from './validate-definition';

const installations: InstallationCatalog = {
  get: (name) => ({ everything: { tools: ['echo', 'get-sum'] }, unlisted: { tools: null } })[name],
};

const tool = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'tool',
  server: 'everything',
  tool: 'echo',
  args: { message: 'hi' },
  ...extra,
});

function errorsOf(definition: unknown) {
  try {
    validateDefinition(definition, installations);
  } catch (error) {
    if (error instanceof AppError) return error.options.fieldErrors ?? [];
    throw error;
  }
  throw new Error('expected the definition to be rejected');
}

describe('validateDefinition', () => {
  it('accepts the minimal form from the API docs and fills defaults', () => {
    const definition = validateDefinition(
      { steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi' } }] },
      installations,
    );
    expect(definition.formatVersion).toBe(1);
    expect(definition.steps[0]).toMatchObject({ id: 'say', tool: 'echo' });
  });

  it('accepts references to earlier steps and tools of a never-listed installation', () => {
    expect(() =>
      validateDefinition(
        { steps: [tool('a'), tool('b', { server: 'unlisted', tool: 'anything', args: { m: '{{ $steps.a.text }}' } })] },
        installations,
      ),
    ).not.toThrow();
  });

  const cases: Array<[string, unknown, Array<{ path: string; message: RegExp }>]> = [
    ['no steps', { steps: [] }, [{ path: 'definition.steps', message: /at least one step/ }]],
    ['not an object', 'steps', [{ path: 'definition', message: /object/i }]],
    ['unknown step type', { steps: [{ id: 'a', type: 'teleport' }] }, [{ path: 'definition.steps[0].type', message: /./ }]],
    ['bad step id', { steps: [tool('1bad')] }, [{ path: 'definition.steps[0].id', message: /starting with a letter/ }]],
    ['missing tool', { steps: [{ id: 'a', type: 'tool', server: 'everything' }] }, [{ path: 'definition.steps[0].tool', message: /./ }]],
    [
      'unknown field on a step',
      { steps: [tool('a', { retires: 3 })] },
      [{ path: 'definition.steps[0].retires', message: /Unknown field/ }],
    ],
    ['duplicate ids', { steps: [tool('a'), tool('a')] }, [{ path: 'definition.steps[1].id', message: /used twice/ }]],
    [
      'unknown server',
      { steps: [tool('a', { server: 'nope' })] },
      [{ path: 'definition.steps[0].server', message: /No server installation named "nope"/ }],
    ],
    ['unknown tool', { steps: [tool('a', { tool: 'nosuch' })] }, [{ path: 'definition.steps[0].tool', message: /has no tool "nosuch"/ }]],
    [
      'expression does not parse',
      { steps: [tool('a', { args: { m: '{{ $input.( }}' } })] },
      [{ path: 'definition.steps[0].args.m', message: /does not parse/ }],
    ],
    [
      'reference to an unknown step',
      { steps: [tool('a', { args: { m: '{{ $steps.ghost.text }}' } })] },
      [{ path: 'definition.steps[0].args.m', message: /Unknown step "ghost"/ }],
    ],
    [
      'forward reference',
      { steps: [tool('a', { args: { m: '{{ $steps.b.text }}' } }), tool('b')] },
      [{ path: 'definition.steps[0].args.m', message: /runs after this one/ }],
    ],
    [
      'self reference',
      { steps: [tool('a', { args: { m: '{{ $steps.a }}' } })] },
      [{ path: 'definition.steps[0].args.m', message: /its own output/ }],
    ],
    [
      'nested arg path',
      { steps: [tool('a', { args: { list: [{ deep: '{{ ) }}' }] } })] },
      [{ path: 'definition.steps[0].args.list[0].deep', message: /does not parse/ }],
    ],
    [
      'bad retry policy',
      { steps: [tool('a', { retry: { maxAttempts: 0 } })] },
      [{ path: 'definition.steps[0].retry.maxAttempts', message: /./ }],
    ],
    ['bad timeout', { steps: [tool('a', { timeout: '5 minutes' })] }, [{ path: 'definition.steps[0].timeout', message: /./ }]],
    [
      'bad output expression',
      { steps: [tool('a')], output: '{{ $steps.nope }}' },
      [{ path: 'definition.output', message: /Unknown step "nope"/ }],
    ],
  ];

  it.each(cases)('rejects %s with the exact path', (_name, definition, expected) => {
    const errors = errorsOf(definition);
    for (const { path, message } of expected) {
      const match = errors.find((e) => e.path === path);
      expect(match, `no error at ${path}; got ${JSON.stringify(errors)}`).toBeDefined();
      expect(match!.message).toMatch(message);
    }
  });
});
