// The sandbox one stdio server process runs in: a single policy object per installation, built by the worker
// from the catalog entry and the installation, shown on the server page and in certification evidence.

/** A host and port a sandboxed server may reach (through the worker's egress proxy, never directly). */
export interface EgressTarget {
  host: string;
  port: number;
}

export type SandboxNetwork =
  /** No network at all: only a loopback interface of its own. */
  | { mode: 'none' }
  /** Only these targets, each through the worker's egress proxy, which applies the SSRF rules again. */
  | { mode: 'egress'; allow: EgressTarget[] };

export interface SandboxLimits {
  /** Heap and data segment (RLIMIT_DATA), MiB. RLIMIT_AS is not used: V8 reserves far more address space than it uses. */
  memoryMiB: number;
  /** CPU time over the process's life (RLIMIT_CPU), seconds. */
  cpuSeconds: number;
  /** Processes and threads of the installation's uid (RLIMIT_NPROC). */
  processes: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  openFiles: number;
  /** Largest file the server may write (RLIMIT_FSIZE), MiB. */
  fileSizeMiB: number;
}

export interface SandboxPolicy {
  /** Host uid and gid the process runs as: one per installation, so limits and file ownership never mix. */
  uid: number;
  /** The installation's private writable folder (host path, mounted at the same path): HOME and cwd. */
  folder: string;
  network: SandboxNetwork;
  limits: SandboxLimits;
  /** Host paths the program needs to read (e.g. the folders holding its package), mounted read-only. */
  readOnlyPaths: string[];
}
