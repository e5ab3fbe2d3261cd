import { describe, expect, it } from 'vitest';
import { containsPayloadRef, isPayloadRef, payloadItemRef, reservedMarkerErrors, selectPayloadPart } from './payload-ref';

describe('payload references', () => {
  const ref = { $manifoldPayload: 'p1', bytes: 70_000, length: 3 };

  it('recognises a reference only by its string marker field', () => {
    expect(isPayloadRef(ref)).toBe(true);
    expect(isPayloadRef({ $manifoldPayload: 5 })).toBe(false);
    expect(isPayloadRef([ref])).toBe(false);
    expect(isPayloadRef(null)).toBe(false);
  });

  it('finds a reference nested anywhere, also deeper than the call stack would allow', () => {
    expect(containsPayloadRef({ steps: { a: { text: 'x' }, b: [1, { c: ref }] } })).toBe(true);
    expect(containsPayloadRef({ steps: { a: { text: 'x' } }, input: [1, 2] })).toBe(false);
    let deep: unknown = ref;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(containsPayloadRef(deep)).toBe(true);
  });

  it('points an item reference into the stored array and selects that part', () => {
    const item = payloadItemRef({ ...ref, at: ['rows'] }, 2);
    expect(item).toEqual({ $manifoldPayload: 'p1', at: ['rows', 2] });
    expect(selectPayloadPart({ rows: ['a', 'b', 'c'] }, item.at)).toBe('c');
    expect(selectPayloadPart({ rows: 'x' }, ['rows', 0, 'y'])).toBeUndefined();
  });
});

describe('reservedMarkerErrors', () => {
  it('names every place a tenant value holds the marker, whatever its type, and nothing else', () => {
    expect(reservedMarkerErrors({ a: 1, b: ['x', { c: null }] }, 'input')).toEqual([]);
    expect(reservedMarkerErrors({ a: [{ $manifoldPayload: 'id' }], $manifoldPayload: 7 }, 'input').map((e) => e.path).sort()).toEqual([
      'input.$manifoldPayload',
      'input.a[0].$manifoldPayload',
    ]);
    expect(reservedMarkerErrors('$manifoldPayload', 'input')).toEqual([]);
  });
});
