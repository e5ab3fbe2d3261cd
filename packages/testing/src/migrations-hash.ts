// Fingerprint of the Prisma migration history: names a template database built from exactly these migrations.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { repoRoot } from './repo-root';

export function migrationsDir(): string {
  return path.join(repoRoot(), 'prisma', 'migrations');
}

/** SHA-256 hex over every migration.sql under prisma/migrations, with its relative path, in path order. */
export function migrationsHash(dir = migrationsDir()): string {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => path.basename(relative) === 'migration.sql')
    .map((relative) => relative.split(path.sep).join('/'))
    .sort();
  if (files.length === 0) throw new Error(`No migration.sql files under ${dir}`);
  const hash = createHash('sha256');
  for (const relative of files) {
    hash
      .update(relative)
      .update('\0')
      .update(readFileSync(path.join(dir, relative)))
      .update('\0');
  }
  return hash.digest('hex');
}
