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

  it('accepts every step kind, nested, with $item/$index inside a map and catch', () => {
    const definition = validateDefinition(
      {
        steps: [
          tool('first'),
          {
            id: 'fan',
            type: 'map',
            items: '{{ $input.list }}',
            maxConcurrency: 5,
            steps: [
              tool('each', { args: { message: '{{ $string($index) & $item & $steps.first.text }}' } }),
              tool('again', { args: { message: '{{ $steps.each.text }}' }, catch: { value: '{{ $error.message }}' } }),
            ],
          },
          {
            id: 'both',
            type: 'parallel',
            branches: { left: [tool('l1')], right: [{ id: 'pause', type: 'wait', duration: '10ms' }, tool('r1')] },
          },
          {
            id: 'pick',
            type: 'choice',
            choices: [{ when: '{{ $count($steps.fan) > 2 }}', steps: [tool('many')] }],
            default: [tool('few', { catch: { step: tool('fallback') } })],
          },
        ],
        output: '{{ [$steps.fan, $steps.both.left, $steps.pick] }}',
      },
      installations,
    );
    expect(definition.steps[1]).toMatchObject({ type: 'map', maxConcurrency: 5 });
    expect(definition.steps[0]).not.toHaveProperty('retry');
  });

  it('reports the tool arguments that the installation says are invalid, at their paths', () => {
    const seen: unknown[] = [];
    const withArgs: InstallationCatalog = {
      get: installations.get,
      checkArgs: (server, toolName, args, path) => {
        seen.push([server, toolName, args, path]);
        return typeof args.message === 'number' ? [{ path: `${path}.message`, message: 'must be string' }] : [];
      },
    };
    const nested = { steps: [{ id: 'm', type: 'map', items: '{{ [1] }}', steps: [tool('a', { args: { message: 5 } })] }] };
    try {
      validateDefinition(nested, withArgs);
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).options.fieldErrors).toEqual([
        { path: 'definition.steps[0].steps[0].args.message', message: 'must be string' },
      ]);
    }
    expect(seen).toEqual([['everything', 'echo', { message: 5 }, 'definition.steps[0].steps[0].args']]);
  });

  const map = (id: string, steps: unknown[], extra: Record<string, unknown> = {}) => ({
    id,
    type: 'map',
    items: '{{ $input.list }}',
    steps,
    ...extra,
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
      'a map bound above the platform limit',
      { steps: [map('m', [tool('a')], { maxItems: 10_001 })] },
      [{ path: 'definition.steps[0].maxItems', message: /10000/ }],
    ],
    [
      'nested map bounds whose product exceeds the limit',
      {
        steps: [
          map('outer', [{ type: 'parallel', id: 'p', branches: { x: [map('inner', [tool('a')], { maxItems: 101 })] } }], { maxItems: 100 }),
        ],
      },
      [{ path: 'definition.steps[0].steps[0].branches.x[0].maxItems', message: /could run 10100 items, more than the limit of 10000/ }],
    ],
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
    // ---- nested kinds
    [
      'unknown field deep inside a map',
      { steps: [map('m', [tool('a', { retires: 1 })])] },
      [{ path: 'definition.steps[0].steps[0].retires', message: /Unknown field/ }],
    ],
    ['map without steps', { steps: [map('m', [])] }, [{ path: 'definition.steps[0].steps', message: /at least one step/ }]],
    [
      'map items not an expression',
      { steps: [map('m', [tool('a')], { items: [1, 2] })] },
      [{ path: 'definition.steps[0].items', message: /./ }],
    ],
    [
      'map concurrency out of range',
      { steps: [map('m', [tool('a')], { maxConcurrency: 0 })] },
      [{ path: 'definition.steps[0].maxConcurrency', message: /./ }],
    ],
    [
      'map items does not parse',
      { steps: [map('m', [tool('a')], { items: '{{ $input.[ }}' })] },
      [{ path: 'definition.steps[0].items', message: /does not parse/ }],
    ],
    [
      'duplicate id across nesting',
      { steps: [tool('a'), map('m', [tool('a')])] },
      [{ path: 'definition.steps[1].steps[0].id', message: /used twice/ }],
    ],
    [
      'map items using the map itself',
      { steps: [map('m', [tool('a')], { items: '{{ $steps.m }}' })] },
      [{ path: 'definition.steps[0].items', message: /its own output/ }],
    ],
    [
      'nested step using its enclosing map (a cycle)',
      { steps: [map('m', [tool('a', { args: { message: '{{ $steps.m[0] }}' } })])] },
      [{ path: 'definition.steps[0].steps[0].args.message', message: /"a" is inside "m" and cannot use its output/ }],
    ],
    [
      'map using a step nested inside it',
      { steps: [map('m', [tool('a')], { items: '{{ $steps.a }}' })] },
      [{ path: 'definition.steps[0].items', message: /"a" is inside "m"/ }],
    ],
    [
      'forward reference inside a map',
      { steps: [map('m', [tool('a', { args: { message: '{{ $steps.b.text }}' } }), tool('b')])] },
      [{ path: 'definition.steps[0].steps[0].args.message', message: /runs after this one/ }],
    ],
    [
      'unknown step inside a parallel branch',
      { steps: [{ id: 'p', type: 'parallel', branches: { x: [tool('a', { args: { message: '{{ $steps.ghost }}' } })] } }] },
      [{ path: 'definition.steps[0].branches.x[0].args.message', message: /Unknown step "ghost"/ }],
    ],
    [
      'a branch using a sibling branch',
      {
        steps: [{ id: 'p', type: 'parallel', branches: { x: [tool('a')], y: [tool('b', { args: { message: '{{ $steps.a.text }}' } })] } }],
      },
      [{ path: 'definition.steps[0].branches.y[0].args.message', message: /nested inside "p" and is not visible here/ }],
    ],
    [
      'a later step using a step nested in a map',
      { steps: [map('m', [tool('a')]), tool('b', { args: { message: '{{ $steps.a.text }}' } })] },
      [{ path: 'definition.steps[1].args.message', message: /use the output of "m" instead/ }],
    ],
    [
      'bad branch name',
      { steps: [{ id: 'p', type: 'parallel', branches: { '9x': [tool('a')] } }] },
      [{ path: 'definition.steps[0].branches.9x', message: /Invalid key/ }],
    ],
    [
      '$item outside a map',
      { steps: [tool('a', { args: { message: '{{ $item }}' } })] },
      [{ path: 'definition.steps[0].args.message', message: /only inside the steps of a map/ }],
    ],
    [
      'choice condition does not parse',
      { steps: [{ id: 'c', type: 'choice', choices: [{ when: '{{ 1 = }}', steps: [tool('a')] }] }] },
      [{ path: 'definition.steps[0].choices[0].when', message: /does not parse/ }],
    ],
    [
      'choice without choices',
      { steps: [{ id: 'c', type: 'choice', choices: [] }] },
      [{ path: 'definition.steps[0].choices', message: /at least one choice/ }],
    ],
    [
      'unknown tool in a choice default',
      {
        steps: [
          { id: 'c', type: 'choice', choices: [{ when: '{{ true }}', steps: [tool('a')] }], default: [tool('b', { tool: 'nosuch' })] },
        ],
      },
      [{ path: 'definition.steps[0].default[0].tool', message: /has no tool "nosuch"/ }],
    ],
    [
      'bad wait duration',
      { steps: [{ id: 'w', type: 'wait', duration: 'soon' }] },
      [{ path: 'definition.steps[0].duration', message: /unit/ }],
    ],
    [
      'unknown server in a catch step',
      { steps: [tool('a', { catch: { step: tool('b', { server: 'nope' }) } })] },
      [{ path: 'definition.steps[0].catch.step.server', message: /No server installation named "nope"/ }],
    ],
    [
      'catch value expression does not parse',
      { steps: [tool('a', { catch: { value: '{{ ( }}' } })] },
      [{ path: 'definition.steps[0].catch.value', message: /does not parse/ }],
    ],
    ['jitter out of range', { steps: [tool('a', { retry: { jitter: 2 } })] }, [{ path: 'definition.steps[0].retry.jitter', message: /./ }]],
    ['idempotent not a boolean', { steps: [tool('a', { idempotent: 'no' })] }, [{ path: 'definition.steps[0].idempotent', message: /./ }]],
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
