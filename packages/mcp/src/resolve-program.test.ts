import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProgram } from './resolve-program';

describe('resolveProgram', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'manifold-bin-'));
  const program = path.join(dir, 'my-server');
  writeFileSync(program, '#!/bin/sh\n');
  chmodSync(program, 0o755);

  it('finds a bare name in the search directories before PATH', () => {
    expect(resolveProgram('my-server', [dir], '/usr/bin')).toBe(program);
  });

  it('takes an absolute path as it is', () => {
    expect(resolveProgram('/opt/x/server', [])).toBe('/opt/x/server');
  });

  it('refuses relative paths, which would depend on the working directory', () => {
    expect(() => resolveProgram('./server', [dir])).toThrow(/bare name or an absolute path/);
  });

  it('says what to do when the program is missing', () => {
    expect(() => resolveProgram('nowhere-server', [dir], '')).toThrow(/Install the server's npm package/);
  });
});
