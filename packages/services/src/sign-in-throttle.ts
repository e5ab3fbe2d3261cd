// Sign-in throttling without a lockout a stranger can trigger. Failures are counted per (client, account),
// per client across accounts (password spraying) and per account across clients (a distributed attack).
// Past each count's free failures the next attempt must wait 2, 4, 8 … seconds after the last failure,
// up to a cap; the per-account cap is short, so someone failing on purpose against an email can slow its
// owner down by seconds, never lock them out. State is in Postgres, shared by every web process.
import { hitRateLimit, readRateLimit, resetRateLimit, type Database } from '@manifold/db';

export interface LoginThrottleSettings {
  /** Failures are counted within fixed windows of this many seconds. */
  windowSeconds: number;
  /** Failures of one client against one account before backoff starts. */
  freeFailures: number;
  /** Failures of one client across all accounts before backoff starts. */
  freeFailuresPerClient?: number;
  /** Failures against one account from all clients before its (short) backoff starts. */
  freeFailuresPerAccount?: number;
  /** The longest wait for a client (seconds). */
  maxDelaySeconds?: number;
  /** The longest wait any account can be put under by others (seconds). */
  maxAccountDelaySeconds?: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { windowSeconds: 900, freeFailures: 5 };

interface Counter {
  key: string;
  free: number;
  maxDelay: number;
}

/** Seconds to wait after the last of `count` failures. */
export const backoffSeconds = (count: number, free: number, maxDelay: number): number =>
  count < free ? 0 : Math.min(maxDelay, 2 ** (count - free + 1));

export function createSignInThrottle(db: Database, settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE) {
  const maxDelay = settings.maxDelaySeconds ?? settings.windowSeconds;
  const counters = (email: string, ip: string | null): Counter[] => {
    const account = email.trim().toLowerCase();
    const perAccount: Counter = {
      key: `login:account:${account}`,
      free: settings.freeFailuresPerAccount ?? settings.freeFailures * 10,
      maxDelay: settings.maxAccountDelaySeconds ?? 30,
    };
    // Without a client address only the account-wide counter applies: a shared "unknown" client would let
    // anyone throttle everyone without an address.
    if (!ip) return [perAccount];
    return [
      { key: `login:pair:${ip}:${account}`, free: settings.freeFailures, maxDelay },
      { key: `login:client:${ip}`, free: settings.freeFailuresPerClient ?? settings.freeFailures * 4, maxDelay },
      perAccount,
    ];
  };

  return {
    /** Seconds this client must wait before trying `email` again (0: it may try now). */
    async retryAfterSeconds(email: string, ip: string | null): Promise<number> {
      let wait = 0;
      for (const counter of counters(email, ip)) {
        const { count, secondsSinceLast } = await readRateLimit(db, counter.key, settings.windowSeconds);
        wait = Math.max(wait, backoffSeconds(count, counter.free, counter.maxDelay) - secondsSinceLast);
      }
      return wait > 0 ? Math.ceil(wait) : 0;
    },

    async recordFailure(email: string, ip: string | null): Promise<void> {
      for (const counter of counters(email, ip)) await hitRateLimit(db, counter.key, settings.windowSeconds);
    },

    /**
     * The right password from this client clears its own failures on the account. The client's count across
     * accounts stays (a sprayer must not reset it by signing in to an account of its own), and so does the
     * account-wide count (others' failures are not the owner's to forget).
     */
    async recordSuccess(email: string, ip: string | null): Promise<void> {
      if (ip) await resetRateLimit(db, `login:pair:${ip}:${email.trim().toLowerCase()}`);
    },
  };
}
