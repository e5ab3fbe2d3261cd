import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Database = PrismaClient;

/**
 * The role every application connection runs as (created by the row_level_security migration). It owns no
 * table, so row-level security applies to it: outside inTeam() a tenant table shows no rows at all.
 */
export const APP_ROLE = 'manifold_app';

/** One client per process: it owns a pg connection pool whose connections all run as APP_ROLE. */
export function createDatabase(databaseUrl: string, options: { maxConnections?: number } = {}): Database {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10, options: `-c role=${APP_ROLE}` });
  return new PrismaClient({ adapter });
}

declare const systemBrand: unique symbol;
/** A client that keeps the login (owner) role and so bypasses the team policies. */
export type SystemDatabase = PrismaClient & { readonly [systemBrand]: true };

/**
 * The system path, for the few writes that belong to no team (seeding the public catalog). Only functions
 * that declare a SystemDatabase parameter take it; never hand it to request handling.
 */
export function createSystemDatabase(databaseUrl: string): SystemDatabase {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: 2 });
  return new PrismaClient({ adapter }) as SystemDatabase;
}

/** True when the error is a unique-constraint violation (Prisma P2002). */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';

/** Prisma codes that mean the database could not be reached or dropped the connection (not a bad query). */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The pg driver adapter's kinds for the same (seen inside P2010 from raw queries). */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);

/** True when the error says Postgres is down or unreachable: the caller answers 503 and the client tries again. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const kind = meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  // Raw queries (P2010) carry only the message; a refused connection inside pg surfaces as ECONNREFUSED.
  const message = error instanceof Error ? error.message : '';
  return /Can't reach database server|ECONNREFUSED|Connection terminated|the database system is (starting up|shutting down)/.test(message);
}
