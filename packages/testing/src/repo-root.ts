// Absolute paths of the repository and of this package, derived from this file's location (not the cwd).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageSrcDir = path.dirname(fileURLToPath(import.meta.url));

/** The monorepo root (the folder holding the root package.json and node_modules). */
export function repoRoot(): string {
  return path.resolve(packageSrcDir, '..', '..', '..');
}

/** An executable installed by npm at the repository root, e.g. `tsx`. */
export function binPath(name: string): string {
  return path.join(repoRoot(), 'node_modules', '.bin', name);
}

/** The fixture MCP server's entry point. */
export function fixtureMainPath(): string {
  return path.join(packageSrcDir, 'fixture-server', 'main.ts');
}
