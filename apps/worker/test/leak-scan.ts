// Where a canary could leak, for the secrets and OAuth suites: every column of every table (as the owner,
// so row-level security hides no team's rows), a Temporal history, and the worker's log stream.
import { Writable } from 'node:stream';
import { createSystemDatabase } from '@manifold/db';

/** Every "Table.column" that contains `needle` in clear (text, json or bytes). */
export async function columnsContaining(databaseUrl: string, needle: string): Promise<string[]> {
  const system = createSystemDatabase(databaseUrl);
  try {
    const columns = await system.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE '\\_prisma%'`;
    const hits: string[] = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns) {
      const test = type === 'bytea' ? `position(convert_to($1, 'UTF8') in "${column}") > 0` : `"${column}"::text LIKE '%' || $1 || '%'`;
      const [row] = await system.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE ${test}`, needle);
      if (row && row.n > 0n) hits.push(`${table}.${column}`);
    }
    return hits;
  } finally {
    await system.$disconnect();
  }
}

/** Every string and byte array in a (history) object as one text, bytes read as latin1 so clear text shows. */
export function flatten(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(flatten).join('\n');
  return String(value);
}

/** A log destination that keeps every line, to search for leaks afterwards. */
export function logCapture(): { sink: Writable; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { sink, lines };
}
