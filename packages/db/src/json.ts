import { Prisma } from './generated/prisma/client';

/** Prisma wants InputJsonValue for Json columns; null must be the JsonNull sentinel. */
export const toJson = (value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull =>
  value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
