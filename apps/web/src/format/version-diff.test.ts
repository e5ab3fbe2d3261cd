import { describe, expect, it } from 'vitest';
import { lineDiff, pickComparison, prettyDefinition, withContext } from './version-diff';

describe('lineDiff', () => {
  it('numbers unchanged, removed and added lines on both sides', () => {
    const before = prettyDefinition({ steps: [{ id: 'a', type: 'wait', duration: '1s' }] });
    const after = prettyDefinition({ steps: [{ id: 'a', type: 'wait', duration: '5s' }] });
    const diff = lineDiff(before, after);
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    expect(diff.rows.filter((r) => r.kind !== 'same')).toEqual([
      { kind: 'removed', oldLine: 6, newLine: null, text: '      "duration": "1s"' },
      { kind: 'added', oldLine: null, newLine: 6, text: '      "duration": "5s"' },
    ]);
    expect(diff.rows.at(-1)).toEqual({ kind: 'same', oldLine: 9, newLine: 9, text: '}' });
  });

  it('finds no change between equal texts', () => {
    const text = prettyDefinition({ steps: [] });
    expect(lineDiff(text, text)).toMatchObject({ added: 0, removed: 0 });
  });
});

describe('withContext', () => {
  it('folds long unchanged runs away from the changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'LINE 10');
    const rows = withContext(lineDiff(before, after).rows, 2);
    expect(rows.map((r) => (r.kind === 'skip' ? `skip ${r.count}` : `${r.kind} ${r.text}`))).toEqual([
      'skip 8',
      'same line 8',
      'same line 9',
      'removed line 10',
      'added LINE 10',
      'same line 11',
      'same line 12',
      'skip 7',
    ]);
  });
});

describe('pickComparison', () => {
  it('takes a valid pair from the query', () => {
    expect(pickComparison([1, 2, 3], { from: '1', to: '3' })).toEqual({ from: 1, to: 3 });
  });

  it('defaults to the previous and the latest version, and ignores versions that do not exist', () => {
    expect(pickComparison([3, 2, 1], {})).toEqual({ from: 2, to: 3 });
    expect(pickComparison([1, 2, 3], { from: '9', to: 'x' })).toEqual({ from: 2, to: 3 });
    expect(pickComparison([1, 2, 3], { from: '2', to: '2' })).toEqual({ from: 1, to: 2 });
  });

  it('has nothing to compare with a single version', () => {
    expect(pickComparison([1], {})).toBeNull();
  });
});
