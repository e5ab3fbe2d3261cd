// Process-wide state of the fixture server, shared by all of its MCP sessions: flaky counters (optionally
// persisted so they survive a restart), per-key concurrency statistics and request-header fingerprints.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../sha256';

export interface ConcurrencyStats {
  inFlight: number;
  maxInFlight: number;
  calls: number;
  /** ms since the epoch at which each call started, in order. */
  timestamps: number[];
}

export interface HeaderRecord {
  tool: string;
  /** ms since the epoch. */
  at: number;
  /** Lower-cased header name → SHA-256 hex of its value. Values themselves are never kept. */
  headers: Record<string, string>;
}

const MAX_HEADER_RECORDS = 200;

export class FixtureState {
  private readonly flakyCalls = new Map<string, number>();
  private readonly concurrency = new Map<string, ConcurrencyStats>();
  private readonly headerRecords: HeaderRecord[] = [];

  /** @param stateDir when set, flaky counters are also kept there, one JSON file per key. */
  constructor(private readonly stateDir?: string) {
    if (stateDir) mkdirSync(stateDir, { recursive: true });
  }

  /** Counts one more call of `flaky` for `key` and returns its 1-based number. */
  nextFlakyCall(key: string): number {
    const calls = this.readFlakyCalls(key) + 1;
    this.flakyCalls.set(key, calls);
    if (this.stateDir) writeJsonAtomically(this.flakyFile(key), { key, calls });
    return calls;
  }

  /** Marks a call on `key` as started and returns the number in flight, this one included. */
  beginConcurrent(key: string, now = Date.now()): number {
    const stats = this.concurrencyStats(key);
    stats.inFlight += 1;
    stats.calls += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.timestamps.push(now);
    return stats.inFlight;
  }

  endConcurrent(key: string): void {
    this.concurrencyStats(key).inFlight -= 1;
  }

  concurrencyStats(key: string): ConcurrencyStats {
    let stats = this.concurrency.get(key);
    if (!stats) {
      stats = { inFlight: 0, maxInFlight: 0, calls: 0, timestamps: [] };
      this.concurrency.set(key, stats);
    }
    return stats;
  }

  recordHeaders(tool: string, headers: Record<string, string | string[] | undefined>): void {
    const fingerprints: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      fingerprints[name.toLowerCase()] = sha256Hex(Array.isArray(value) ? value.join(', ') : value);
    }
    this.headerRecords.push({ tool, at: Date.now(), headers: fingerprints });
    if (this.headerRecords.length > MAX_HEADER_RECORDS) this.headerRecords.shift();
  }

  /** The most recent tool calls' header fingerprints, oldest first. */
  headerLog(): HeaderRecord[] {
    return [...this.headerRecords];
  }

  private readFlakyCalls(key: string): number {
    if (!this.stateDir) return this.flakyCalls.get(key) ?? 0;
    // The file is the source of truth: a previous process may have counted calls before a restart.
    try {
      const saved = JSON.parse(readFileSync(this.flakyFile(key), 'utf8')) as { calls?: unknown };
      return typeof saved.calls === 'number' ? saved.calls : 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  private flakyFile(key: string): string {
    return path.join(this.stateDir as string, `flaky-${sha256Hex(key).slice(0, 32)}.json`);
  }
}

/** Write to a unique temporary file in the same folder, then rename over the target (atomic on POSIX). */
function writeJsonAtomically(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value)}\n`);
  renameSync(temporary, file);
}
