/**
 * The exact store finds exactly the set of encodings added, across the in-place rebuilds of its index: every
 * new encoding gets the next id and is stored at that id, every repeated one gets -1.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ExactStore } from './exactStore.js';
import { hashWords, SEED_LO } from './hash.js';

const RESERVE = 2 ** 26;

/** Adds the two-word states `xs` in order and checks ids and records against a Map. */
function addAll(store: ExactStore, xs: readonly (readonly [number, number])[], withHash: boolean): void {
  const seen = new Map<string, number>();
  const want: number[] = [];
  const got: number[] = [];
  const src = new Uint32Array(2);
  for (const [a, b] of xs) {
    src[0] = a;
    src[1] = b;
    const key = `${a}:${b}`;
    got.push(withHash ? store.add(src, 0, hashWords(src, 0, 2, SEED_LO)) : store.add(src, 0));
    want.push(seen.get(key) !== undefined ? -1 : seen.size);
    if (!seen.has(key)) seen.set(key, seen.size);
  }
  expect(got).toEqual(want);
  expect(store.size).toBe(seen.size);
  const wrong: string[] = [];
  for (const [key, id] of seen) {
    const c = store.chunk(id);
    const o = store.offset(id);
    if (`${c[o]}:${c[o + 1]}` !== key) wrong.push(key);
  }
  expect(wrong).toEqual([]);
  for (const [a, b] of xs) {
    src[0] = a;
    src[1] = b;
    if (store.add(src, 0) !== -1) wrong.push(`${a}:${b}`);
  }
  expect(wrong).toEqual([]);
}

const small = fc.integer({ min: 0, max: 50 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('ExactStore', () => {
  test.prop([fc.array(fc.tuple(fc.oneof(small, u32), fc.oneof(small, u32)), { maxLength: 3000 }), fc.boolean()])(
    'ids for new encodings, -1 for repeats, each stored at its id',
    (xs, withHash) => {
      addAll(new ExactStore(2, RESERVE), xs, withHash);
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 })], { numRuns: 2 })(
    'exactly the inserted set across rebuilds (120,000 states, repeats mixed in)',
    (seed) => {
      let x = seed;
      const next = (): number => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return x;
      };
      const xs: [number, number][] = [];
      for (let i = 0; i < 120_000; i++) {
        xs.push([next() % 1000, i]);
        if (i % 3 === 0) xs.push(xs[next() % xs.length] as [number, number]);
      }
      addAll(new ExactStore(2, RESERVE), xs, false);
    },
  );

  it('dump lists the states in id order', () => {
    const s = new ExactStore(2, RESERVE);
    const src = new Uint32Array([5, 6, 7, 8, 5, 6]);
    for (const at of [0, 2, 4]) s.add(src, at);
    expect([...s.dump()]).toEqual([5, 6, 7, 8]);
  });

  it("a parallel worker's share (one half of the hash range) spreads over the whole table", () => {
    const s = new ExactStore(2, RESERVE);
    const src = new Uint32Array(2);
    for (let i = 0; s.size < 100_000; i++) {
      src[0] = i;
      src[1] = i >>> 3;
      // What ownerOf gives worker 0 of 2: the hashes below 2^31.
      if (hashWords(src, 0, 2, SEED_LO) < 2 ** 31) s.add(src, 0);
    }
    // Its homes spread over the whole table: clusters as short as a full range's (a few hundred slots at
    // most at 85%), not one run over the half that the range's high bits would pick.
    expect(s.longestCluster()).toBeLessThan(1000);
  });
});
