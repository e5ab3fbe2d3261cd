// The installation a tool call goes through, cached per worker for a short time: every call needs the row
// (server, config, limits, tools snapshot) and reading it was one Postgres transaction per call. A change
// or removal announced on the installation change feed drops the copy at once (so "connect OAuth, then run"
// or "fix the config, then run" sees the new row); `ttlMs` bounds staleness only while the feed is down.
// Call-gate state (breaker, leases, rate slots) is not cached: it lives in its own tables.
import { LRUCache } from 'lru-cache';
import type { InstallationChangeFeed, InstallationWithServer } from '@manifold/db';

export const INSTALLATION_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 2_000;

export type InstallationLookup = (teamId: string, name: string) => Promise<InstallationWithServer | null>;

const keyOf = (teamId: string, name: string) => `${teamId}\u0000${name}`;

/** `read` loads the row (getInstallationByName bound to the database); `changes` invalidates entries. */
export function createInstallationLookup(
  read: InstallationLookup,
  ttlMs = INSTALLATION_CACHE_TTL_MS,
  changes?: Pick<InstallationChangeFeed, 'subscribe'>,
): InstallationLookup {
  // The promise is cached, so the items of a fan-out that start together share one read. A read in flight
  // when its entry is dropped still answers the calls that were waiting for it, but is not kept.
  const entries = new LRUCache<string, Promise<InstallationWithServer | null>>({ max: MAX_ENTRIES, ttl: Math.max(1, ttlMs) });
  changes?.subscribe({
    onChange: (teamId, name) => entries.delete(keyOf(teamId, name)),
    onReset: () => entries.clear(),
  });
  return (teamId, name) => {
    if (ttlMs <= 0) return read(teamId, name);
    const key = keyOf(teamId, name);
    const hit = entries.get(key);
    if (hit) return hit;
    const row = read(teamId, name);
    entries.set(key, row);
    // A missing installation (it may be installed a moment later) and a failed read are not remembered.
    const forget = () => {
      if (entries.peek(key) === row) entries.delete(key);
    };
    row.then((found) => (found ? undefined : forget()), forget);
    return row;
  };
}
