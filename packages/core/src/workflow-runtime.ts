// What Temporal workflow code may import from core: nothing here builds a zod schema. The worker evaluates
// the workflow bundle's modules again for every new run (each run gets fresh module state), so importing the
// front door — whose modules construct dozens of zod schemas at load — cost ≈ 20 ms of CPU per run.
export { toMilliseconds } from './duration-ms';
export { NEVER_RETRIED } from './tool-errors';
export type { ToolErrorClass } from './tool-errors';
export { DEFAULT_RETRY_POLICY, DEFAULT_STEP_TIMEOUT } from './workflow-defaults';
export { ExpressionError, renderTemplate } from './templates';
export type { ExpressionScope } from './templates';
export { evaluate } from './tier-rules';
export type { ChoiceStep, MapStep, ParallelStep, Step, ToolStep, WaitStep } from './workflow-definition';
export { containsPayloadRef, isPayloadRef, payloadItemRef } from './payload-ref';
export type { PayloadRef } from './payload-ref';
export { MAP_ITEMS_LIMIT } from './workflow-definition-limits';
