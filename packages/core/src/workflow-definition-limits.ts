// Limits of the definition format that workflow code needs too (kept apart: workflow-definition.ts builds zod schemas).

/**
 * The most items a run's map steps may fan out to, nested maps multiplied (an inner map's item count times its
 * outer's): what keeps a run's Temporal history inside its limits. A map's `maxItems` may lower it.
 */
export const MAP_ITEMS_LIMIT = 10_000;
