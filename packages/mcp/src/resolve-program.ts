import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Finds a program by name in `searchDirs`, then in PATH. Absolute paths are taken as they are.
 * Catalog servers ship as npm packages, so node_modules/.bin comes first.
 */
export function resolveProgram(program: string, searchDirs: string[], pathVariable = process.env.PATH ?? ''): string {
  if (path.isAbsolute(program)) return program;
  if (program.includes('/')) throw new Error(`Program "${program}" must be a bare name or an absolute path.`);
  for (const dir of [...searchDirs, ...pathVariable.split(path.delimiter).filter(Boolean)]) {
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(`Program "${program}" was not found. Install the server's npm package on the worker or give an absolute path.`);
}
