// Temporal workflow code (deterministic: no I/O, no clocks, no randomness outside the SDK's replay-safe
// versions). The worker bundles this file; clients start workflows by these exported names.
export { interpretMapChunk, interpretRun } from './interpreter';
export { listServerTools } from './list-server-tools';
export { certifyServer, recertifyServers, testServerConnection } from './certify-server';
export { sweepRuns } from './sweep-runs';
