// Types of stack.mjs for the TypeScript callers (the worker's REST benchmark).
export interface StackPorts {
  web: number;
  temporal: number;
  temporalUi: number | null;
  workerHealth: number;
  demoMcp?: number | null;
}

export interface RunningStack {
  appUrl: string;
  temporalAddress: string;
  failed: Promise<never>;
  /** Each started process (temporal, worker, web), the leader of its own process group. */
  services: Array<{ name: string; pid: number | undefined }>;
  stop(): Promise<void>;
}

export function buildWeb(options?: { output?: 'prefix' | 'quiet' }): Promise<void>;

export function startStack(options: {
  databaseUrl: string;
  temporalCli: string;
  ports: StackPorts;
  temporalDbFile?: string | null;
  dev?: boolean;
  output?: 'prefix' | 'quiet';
  logDir?: string;
  env?: Record<string, string>;
}): Promise<RunningStack>;
