import { workflowDefinitionSchema } from '@manifold/core';

/** A stored definition in the format's key order, as it was written (the database returns keys reordered). */
export function inFormatOrder(raw: unknown): unknown {
  const parsed = workflowDefinitionSchema.safeParse(raw);
  return parsed.success ? parsed.data : raw;
}
