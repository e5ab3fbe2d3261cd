// Per-API-key request limits on the REST API, shared across web processes through Postgres.
import { AppError } from '@manifold/core';
import { hitRateLimit } from '@manifold/db';
import type { ServiceDeps } from './context';

export interface RateLimitSettings {
  /** Requests one API key may make per window. */
  apiRequestsPerWindow: number;
  windowSeconds: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { apiRequestsPerWindow: 600, windowSeconds: 60 };

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export function createRateLimitService({ db }: ServiceDeps, settings: RateLimitSettings = DEFAULT_RATE_LIMITS) {
  return {
    settings,
    /** Counts one request of `keyId`; throws 429 (with Retry-After) once the window's budget is spent. */
    async consumeApiRequest(keyId: string): Promise<RateLimitState> {
      const { count, resetSeconds } = await hitRateLimit(db, `api_key:${keyId}`, settings.windowSeconds);
      const limit = settings.apiRequestsPerWindow;
      if (count > limit)
        throw new AppError(
          'rate_limited',
          `This API key made more than ${limit} requests in ${settings.windowSeconds} s. Retry after ${resetSeconds} s.`,
          { retryAfterSeconds: resetSeconds },
        );
      return { limit, remaining: limit - count, resetSeconds };
    },
  };
}
