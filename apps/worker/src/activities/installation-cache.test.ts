import { describe, expect, it } from 'vitest';
import type { InstallationChangeListener, InstallationWithServer } from '@manifold/db';
import { createInstallationLookup } from './installation-cache';

/** A reader that counts its reads and answers from a table it can be told to change. */
function countingReader(rows: Map<string, { id: string } | null>) {
  const reader = async (teamId: string, name: string) => {
    reader.reads += 1;
    return (rows.get(`${teamId}/${name}`) ?? null) as InstallationWithServer | null;
  };
  reader.reads = 0;
  return reader;
}

describe('installation lookup cache', () => {
  it('reads a row once within its time to live, and shares the read of calls made together', async () => {
    const read = countingReader(new Map([['t1/a', { id: 'i1' }]]));
    const lookup = createInstallationLookup(read, 60_000);
    const rows = await Promise.all([lookup('t1', 'a'), lookup('t1', 'a'), lookup('t1', 'a')]);
    expect(rows.map((r) => r?.id)).toEqual(['i1', 'i1', 'i1']);
    await lookup('t1', 'a');
    expect(read.reads).toBe(1);
  });

  it('keys by team and name: another team never gets the row', async () => {
    const read = countingReader(new Map([['t1/a', { id: 'i1' }]]));
    const lookup = createInstallationLookup(read, 60_000);
    expect((await lookup('t1', 'a'))?.id).toBe('i1');
    expect(await lookup('t2', 'a')).toBeNull();
  });

  it('does not remember a missing installation, so one installed a moment later is found', async () => {
    const table = new Map<string, { id: string } | null>();
    const lookup = createInstallationLookup(countingReader(table), 60_000);
    expect(await lookup('t1', 'a')).toBeNull();
    table.set('t1/a', { id: 'i1' });
    expect((await lookup('t1', 'a'))?.id).toBe('i1');
  });

  it('reads again once the time to live has passed (the staleness bound), and always with a time to live of 0', async () => {
    const table = new Map([['t1/a', { id: 'old' }]]);
    const read = countingReader(table);
    const expiring = createInstallationLookup(read, 1);
    await expiring('t1', 'a');
    table.set('t1/a', { id: 'new' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await expiring('t1', 'a'))?.id).toBe('new');
    const uncached = createInstallationLookup(read, 0);
    await uncached('t1', 'a');
    await uncached('t1', 'a');
    expect(read.reads).toBe(4);
  });

  it('forgets a failed read', async () => {
    let fail = true;
    const lookup = createInstallationLookup(async () => {
      if (fail) throw new Error('connection reset');
      return { id: 'i1' } as InstallationWithServer;
    }, 60_000);
    await expect(lookup('t1', 'a')).rejects.toThrow('connection reset');
    fail = false;
    expect((await lookup('t1', 'a'))?.id).toBe('i1');
  });

  it('drops an entry the change feed names, and everything on a reset; other entries stay cached', async () => {
    const table = new Map([
      ['t1/a', { id: 'a1' }],
      ['t1/b', { id: 'b1' }],
    ]);
    const read = countingReader(table);
    let listener: InstallationChangeListener | undefined;
    const lookup = createInstallationLookup(read, 60_000, { subscribe: (l) => ((listener = l), () => undefined) });
    await Promise.all([lookup('t1', 'a'), lookup('t1', 'b')]);
    table.set('t1/a', { id: 'a2' });
    table.set('t1/b', { id: 'b2' });
    listener!.onChange('t1', 'a');
    expect((await lookup('t1', 'a'))?.id).toBe('a2');
    expect((await lookup('t1', 'b'))?.id).toBe('b1'); // not announced: still the cached row
    listener!.onReset();
    expect((await lookup('t1', 'b'))?.id).toBe('b2');
    expect(read.reads).toBe(4);
  });
});
