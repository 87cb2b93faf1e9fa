/**
 * The dense fingerprint table finds exactly the set inserted, across any number of in-place growths: every
 * new fingerprint gets the next id, every repeated one -1, whatever the order, the clustering or the
 * position in the table (fingerprints at the very end of the hash range fill the slack past the last home).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from './fingerprintStore.js';

const RESERVE = 2 ** 26;

/**
 * The set's name for a fingerprint: itself, but the one whose complement is the empty slot, (2^32 - 1,
 * 2^32 - 1), is stored as its neighbour (2^32 - 2, 2^32 - 1), a collision by design (fingerprintStore.ts).
 */
const keyOf = (lo: number, hi: number): string =>
  lo === 0xffffffff && hi === 0xffffffff ? `${0xfffffffe}:${hi}` : `${lo}:${hi}`;

/** Adds `fps` in order: the ids it returned are those a Set of the same fingerprints gives. */
function addAll(store: FingerprintStore, fps: readonly (readonly [number, number])[]): void {
  const seen = new Map<string, number>();
  const want: number[] = [];
  const got: number[] = [];
  for (const [lo, hi] of fps) {
    const key = keyOf(lo, hi);
    got.push(store.addFingerprint(lo, hi));
    want.push(seen.has(key) ? -1 : seen.size);
    if (!seen.has(key)) seen.set(key, seen.size);
  }
  expect(got).toEqual(want);
  expect(store.size).toBe(seen.size);
  // Every one is still there after the growths that came after it.
  expect(fps.filter(([lo, hi]) => store.addFingerprint(lo, hi) !== -1)).toEqual([]);
  expect(store.size).toBe(seen.size);
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Fingerprints with few distinct halves, so that clusters, equal his and repeats are common. */
const clustered = fc.tuple(
  fc.oneof(u32, fc.integer({ min: 0, max: 7 }), fc.constant(0xffffffff)),
  fc.oneof(
    u32,
    fc.integer({ min: 0, max: 3 }),
    fc.constant(0xffffffff),
    fc.integer({ min: 0xfffffff0, max: 0xffffffff }),
  ),
);

describe('FingerprintStore', () => {
  test.prop([fc.array(clustered, { maxLength: 3000 })])('ids for new fingerprints, -1 for repeats', (fps) => {
    addAll(new FingerprintStore(1, RESERVE), fps);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 5 })], { numRuns: 5 })(
    'exactly the inserted set across growths (60,000 fingerprints, repeats mixed in)',
    (seed, every) => {
      const fps: [number, number][] = [];
      let x = seed;
      const next = (): number => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return x;
      };
      for (let i = 0; i < 60_000; i++) {
        fps.push([next(), next()]);
        if (i % every === 0) fps.push(fps[(next() % fps.length) >>> 0] as [number, number]);
      }
      addAll(new FingerprintStore(1, RESERVE), fps);
    },
  );

  it('fingerprints crowded at the end of the hash range grow the table instead of wrapping', () => {
    const fps: [number, number][] = [];
    for (let i = 0; i < 5000; i++) fps.push([i, 0xffffffff - (i % 7)]);
    addAll(new FingerprintStore(1, RESERVE), fps);
  });

  it('the one fingerprint whose complement is the empty slot is stored', () => {
    const s = new FingerprintStore(1, RESERVE);
    expect(s.addFingerprint(0xffffffff, 0xffffffff)).toBe(0);
    expect(s.addFingerprint(0xffffffff, 0xffffffff)).toBe(-1);
  });

  it('and taken for its neighbour: the two are one fingerprint (CI found the pair, seed 2006477862)', () => {
    const s = new FingerprintStore(1, RESERVE);
    expect(s.addFingerprint(0xfffffffe, 0xffffffff)).toBe(0);
    expect(s.addFingerprint(0xffffffff, 0xffffffff)).toBe(-1);
  });

  test.prop([fc.array(clustered, { maxLength: 8000 }), fc.array(clustered, { maxLength: 200 })], { numRuns: 20 })(
    'a table restored from its dump holds the same set',
    (before, after) => {
      const a = new FingerprintStore(1, RESERVE);
      for (const [lo, hi] of before) a.addFingerprint(lo, hi);
      const b = new FingerprintStore(1, RESERVE);
      b.restore(a.dump().slice(), a.size);
      for (const [lo, hi] of [...before, ...after]) expect(b.addFingerprint(lo, hi)).toBe(a.addFingerprint(lo, hi));
      expect(b.size).toBe(a.size);
    },
  );

  it('states are told apart by their whole encoding', () => {
    const s = new FingerprintStore(3, RESERVE);
    const st = new Uint32Array([1, 2, 3, 1, 2, 4]);
    expect([s.add(st, 0), s.add(st, 3), s.add(st, 0), s.add(st, 3)]).toEqual([0, 1, -1, -1]);
  });
});
