import { z } from 'zod';

import { toMilliseconds } from './duration-ms';

export { toMilliseconds };

/** A duration written as "250ms", "30s", "5m", "1h" (or a number of milliseconds). */
export const durationSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+(ms|s|m|h)$/, 'Use a number with a unit: "250ms", "30s", "5m" or "1h".'),
]);

export type Duration = z.infer<typeof durationSchema>;
