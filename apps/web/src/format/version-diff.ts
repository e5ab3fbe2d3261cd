// The line diff between two workflow versions, as rows with old and new line numbers.
import { diffLines } from 'diff';

export interface DiffRow {
  kind: 'added' | 'removed' | 'same';
  /** 1-based line in the older text (null for an added line). */
  oldLine: number | null;
  /** 1-based line in the newer text (null for a removed line). */
  newLine: number | null;
  text: string;
}

export interface LineDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
}

/** Definitions compare as pretty-printed JSON (two spaces), so a diff reads the way the editor shows them. */
export const prettyDefinition = (definition: unknown) => JSON.stringify(definition, null, 2);

export function lineDiff(before: string, after: string): LineDiff {
  const rows: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) rows.push({ kind: 'added', oldLine: null, newLine: newLine++, text });
      else if (part.removed) rows.push({ kind: 'removed', oldLine: oldLine++, newLine: null, text });
      else rows.push({ kind: 'same', oldLine: oldLine++, newLine: newLine++, text });
    }
  }
  return { rows, added: rows.filter((r) => r.kind === 'added').length, removed: rows.filter((r) => r.kind === 'removed').length };
}

export type DiffHunkRow = DiffRow | { kind: 'skip'; count: number };

/** Keeps `context` unchanged lines around each change and folds longer unchanged runs into one "skip" row. */
export function withContext(rows: DiffRow[], context = 3): DiffHunkRow[] {
  const isNear = rows.map((_, i) => rows.slice(Math.max(0, i - context), i + context + 1).some((r) => r.kind !== 'same'));
  const out: DiffHunkRow[] = [];
  rows.forEach((row, i) => {
    if (row.kind !== 'same' || isNear[i]) out.push(row);
    else {
      const last = out.at(-1);
      if (last?.kind === 'skip') last.count++;
      else out.push({ kind: 'skip', count: 1 });
    }
  });
  return out;
}

/** Reads `?from=&to=` as two distinct existing versions; defaults to the previous and the current one. */
export function pickComparison(
  versions: number[],
  query: { from?: string | string[] | undefined; to?: string | string[] | undefined },
): { from: number; to: number } | null {
  if (versions.length < 2) return null;
  const sorted = [...versions].sort((a, b) => a - b);
  const read = (value: string | string[] | undefined) => {
    const n = Number(Array.isArray(value) ? value[0] : value);
    return Number.isInteger(n) && sorted.includes(n) ? n : null;
  };
  const to = read(query.to) ?? sorted.at(-1)!;
  const from = read(query.from) ?? sorted.filter((v) => v < to).at(-1) ?? sorted.find((v) => v !== to)!;
  return from === to ? { from: sorted.find((v) => v !== to)!, to } : { from, to };
}
