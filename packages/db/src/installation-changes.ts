// Tells a process when an installation changed anywhere (Postgres LISTEN/NOTIFY on the channel a trigger
// feeds: see migration installation_change_notify), so a per-process cache drops its copy at once instead of
// serving it until its TTL ends. One dedicated connection per process; it reconnects on its own, and every
// (re)connect is reported as a reset because notifications sent while it was away are lost.
import pg from 'pg';
import { APP_ROLE } from './client';

export const INSTALLATION_CHANGE_CHANNEL = 'manifold_installation_changed';
const RECONNECT_MS = { first: 250, max: 10_000 };

export interface InstallationChangeListener {
  /** The installation `name` of team `teamId` was updated or removed. */
  onChange(teamId: string, name: string): void;
  /** Changes may have been missed (the feed just (re)connected): forget everything. */
  onReset(): void;
}

export interface InstallationChangeFeed {
  /** Settles once the first connection attempt is over (listening, or retrying in the background). */
  ready: Promise<void>;
  subscribe(listener: InstallationChangeListener): () => void;
  close(): Promise<void>;
}

export function startInstallationChangeFeed(
  databaseUrl: string,
  options: { onError?: (error: Error) => void } = {},
): InstallationChangeFeed {
  const listeners = new Set<InstallationChangeListener>();
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delayMs = RECONNECT_MS.first;
  let closed = false;

  const reset = () => listeners.forEach((listener) => listener.onReset());

  function scheduleReconnect(error?: Error) {
    if (closed || retryTimer) return;
    if (error) options.onError?.(error);
    // Until the feed is back, nothing says what changed: caches fall back to their TTL alone.
    reset();
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delayMs);
    retryTimer.unref();
    delayMs = Math.min(RECONNECT_MS.max, delayMs * 2);
  }

  async function connect() {
    const next = new pg.Client({ connectionString: databaseUrl, options: `-c role=${APP_ROLE}` });
    next.on('error', (error) => {
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      scheduleReconnect(error);
    });
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        scheduleReconnect(new Error('the installation change feed lost its connection'));
      }
    });
    next.on('notification', ({ channel, payload }) => {
      if (channel !== INSTALLATION_CHANGE_CHANNEL || !payload) return;
      const slash = payload.indexOf('/'); // team ids are UUIDs: the first slash ends it
      if (slash <= 0) return;
      const teamId = payload.slice(0, slash);
      const name = payload.slice(slash + 1);
      listeners.forEach((listener) => listener.onChange(teamId, name));
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${INSTALLATION_CHANGE_CHANNEL}`);
    } catch (error) {
      void next.end().catch(() => undefined);
      scheduleReconnect(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delayMs = RECONNECT_MS.first;
    reset(); // whatever changed before LISTEN took effect was not heard
  }

  const ready = connect();
  return {
    ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await ready;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
