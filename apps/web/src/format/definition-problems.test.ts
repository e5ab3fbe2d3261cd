import { describe, expect, it } from 'vitest';
import { editorPath, instantProblems } from './definition-problems';

describe('editorPath', () => {
  it('drops the request body prefix', () => {
    expect(editorPath('definition.steps[2].args.path')).toBe('steps[2].args.path');
    expect(editorPath('definition')).toBe('');
    expect(editorPath('definitionX.a')).toBe('definitionX.a');
  });
});

describe('instantProblems', () => {
  it('reports syntax errors by line and column, with their offsets', () => {
    const [problem] = instantProblems('{\n  "steps": [\n}');
    expect(problem).toMatchObject({ path: 'line 3:1', syntax: { line: 3, column: 1, offset: 15 } });
  });

  it('reports schema errors at editor paths', () => {
    const problems = instantProblems(JSON.stringify({ steps: [{ id: 'pause', type: 'wait' }] }));
    expect(problems.map((p) => p.path)).toEqual(['steps[0].duration']);
  });

  it('reports bad step references and expressions, without the server', () => {
    const problems = instantProblems(
      JSON.stringify({
        steps: [
          { id: 'a', type: 'tool', server: 's', tool: 't', args: { x: '{{ $steps.later.y }}' } },
          { id: 'later', type: 'wait', duration: '1s' },
          { id: 'b', type: 'tool', server: 's', tool: 't', args: { n: '{{ 1 + }}' } },
        ],
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['steps[0].args.x', 'steps[2].args.n']);
  });

  it('finds nothing wrong with a definition that only the server could fault', () => {
    expect(instantProblems(JSON.stringify({ steps: [{ id: 'a', type: 'tool', server: 'ghost', tool: 'nope', args: {} }] }))).toEqual([]);
  });
});
