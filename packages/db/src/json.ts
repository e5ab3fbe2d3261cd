import { Prisma } from './generated/prisma/client';

// Postgres text and jsonb cannot hold U+0000, and tool results (untrusted) may contain it: it is stored as
// U+FFFD instead of failing the write. In JSON text a NUL is the escape `\u0000` after an even run of
// backslashes (an odd run would mean the backslash itself was escaped).
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** Prisma wants InputJsonValue for Json columns; null must be the JsonNull sentinel. NULs become U+FFFD. */
export const toJson = (value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull => {
  if (value === null || value === undefined) return Prisma.JsonNull;
  if (typeof value === 'string') return toText(value);
  if (typeof value !== 'object') return value as Prisma.InputJsonValue;
  const text = JSON.stringify(value);
  return (text.includes('\\u0000') ? JSON.parse(text.replace(ESCAPED_NUL, '$1\\ufffd')) : value) as Prisma.InputJsonValue;
};

/** A text column's value without NUL characters. */
export const toText = (value: string): string => value.replaceAll('\u0000', '\ufffd');
