import { describe, expect, it } from 'vitest';
import { describeLimitHit } from './limits';

const limits = { memoryMiB: 256, cpuSeconds: 30, processes: 32, openFiles: 128, fileSizeMiB: 8 };

describe('describeLimitHit', () => {
  it('names the limit from the stderr of the dying server', () => {
    expect(describeLimitHit(limits, ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'], { code: 134, signal: null })).toBe(
      'the server exceeded its memory limit (256 MiB)',
    );
    expect(describeLimitHit(limits, ["Error: spawn sleep EAGAIN"], { code: 1, signal: null })).toMatch(/process limit \(32 processes/);
    expect(describeLimitHit(limits, ["Error: EMFILE: too many open files, open '/dev/null'"], null)).toMatch(/open-file limit \(128 files\)/);
    expect(describeLimitHit(limits, ['Error: EFBIG: file too large, write'], null)).toMatch(/file-size limit \(8 MiB per file\)/);
  });

  it('names the limit from the exit status bwrap passes on (128 + signal)', () => {
    expect(describeLimitHit(limits, [], { code: 152, signal: null })).toBe('the server exceeded its CPU-time limit (30 s)');
    expect(describeLimitHit(limits, [], { code: null, signal: 'SIGXFSZ' })).toMatch(/file-size limit/);
    expect(describeLimitHit(limits, [], { code: 137, signal: null })).toMatch(/SIGKILL/);
  });

  it('says nothing when nothing points to a limit', () => {
    expect(describeLimitHit(limits, ['Error: boom'], { code: 1, signal: null })).toBeNull();
    expect(describeLimitHit(limits, [], null)).toBeNull();
  });
});
