// Turns how a sandboxed server died (exit status, signal, the tail of its stderr) into a sentence that names
// the limit it hit, so a run records "exceeded its memory limit (256 MiB)" instead of "connection closed".
import type { SandboxLimits } from './policy';

export interface ProcessEnd {
  /** Exit code; bwrap reports a command killed by signal N as 128 + N. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

const SIGKILL = 9;
const SIGXCPU = 24;
const SIGXFSZ = 25;

const signalNumber = (end: ProcessEnd): number | null => {
  if (end.signal === 'SIGKILL') return SIGKILL;
  if (end.signal === 'SIGXCPU') return SIGXCPU;
  if (end.signal === 'SIGXFSZ') return SIGXFSZ;
  return end.code !== null && end.code > 128 && end.code < 160 ? end.code - 128 : null;
};

/** The limit a server hit, from its stderr and how it ended; null when nothing points to a limit. */
export function describeLimitHit(limits: SandboxLimits, stderr: string[], end: ProcessEnd | null): string | null {
  const text = stderr.join('\n');
  if (/heap out of memory|Cannot allocate memory|ENOMEM|MemoryError|std::bad_alloc/i.test(text))
    return `the server exceeded its memory limit (${limits.memoryMiB} MiB)`;
  if (/EAGAIN|Resource temporarily unavailable|fork: retry/i.test(text) && /spawn|fork|thread|clone/i.test(text))
    return `the server exceeded its process limit (${limits.processes} processes and threads)`;
  if (/EMFILE|too many open files/i.test(text)) return `the server exceeded its open-file limit (${limits.openFiles} files)`;
  if (/EFBIG|file too large/i.test(text)) return `the server exceeded its file-size limit (${limits.fileSizeMiB} MiB per file)`;
  const signal = end ? signalNumber(end) : null;
  if (signal === SIGXCPU) return `the server exceeded its CPU-time limit (${limits.cpuSeconds} s)`;
  if (signal === SIGXFSZ) return `the server exceeded its file-size limit (${limits.fileSizeMiB} MiB per file)`;
  // SIGKILL from outside the sandbox (our own shutdown) ends the session first, so one seen here is the CPU hard
  // limit or the kernel's OOM killer.
  if (signal === SIGKILL) return `the server was killed (SIGKILL: its CPU-time limit of ${limits.cpuSeconds} s or the host ran out of memory)`;
  return null;
}
