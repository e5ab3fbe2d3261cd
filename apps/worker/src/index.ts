export { createWorker, workflowsPath } from './create-worker';
export type { WorkerDeps } from './create-worker';
export { createLogger } from './logger';
