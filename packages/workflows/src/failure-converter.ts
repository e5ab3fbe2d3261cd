// Failure messages and stack traces go into Temporal history as payloads, so the payload codec encrypts them
// like inputs and results (a tool's error may name a confidential file). Loaded by path: the worker's
// workflow bundle and its activity side both need it (see create-worker.ts).
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
