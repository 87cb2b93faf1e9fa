/**
 * Probes in batches (`prepare`, then `addPrepared` per state: docs/search-engine.md "Probes in batches") give
 * each store exactly the ids that adding the same states one at a time gives, whatever the batch: repeats
 * inside it, states stored before, any stride and offset, hashes carried in the records or computed, and table
 * growth between two adds of one batch.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ExactStore } from './exactStore.js';
import { FingerprintStore } from './fingerprintStore.js';
import { hashWords, SEED_HI, SEED_LO } from './hash.js';
import type { StateStore } from './stateStore.js';

const W = 3;
const RESERVE = 2 ** 26;
/** Few distinct values, so that batches repeat states and meet stored ones. */
const state = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: W, maxLength: W });
/** Batches of states, each with a stride (words per record, at least W) and an offset. */
const batches = fc.array(
  fc.record({ states: fc.array(state, { maxLength: 70 }), extra: fc.nat(4), at: fc.nat(5), carried: fc.boolean() }),
  { maxLength: 60 },
);

interface Batch {
  readonly states: number[][];
  readonly extra: number;
  readonly at: number;
  /** Each record carries its fingerprint after the words (a parallel worker's records): `prepare` reads it there. */
  readonly carried: boolean;
}

/** Every batch added one state at a time with `add`, and with `prepare` + `addPrepared`: the same ids. */
function sameIds(make: () => StateStore, bs: readonly Batch[]): void {
  const single = make();
  const batched = make();
  for (const { states, extra, at, carried } of bs) {
    const stride = W + (carried ? Math.max(2, extra) : extra);
    const buf = new Uint32Array(at + states.length * stride + 1).fill(0xdeadbeef);
    for (const [k, s] of states.entries()) {
      buf.set(s, at + k * stride);
      if (!carried) continue;
      buf[at + k * stride + W] = hashWords(Uint32Array.from(s), 0, W, SEED_LO);
      buf[at + k * stride + W + 1] = hashWords(Uint32Array.from(s), 0, W, SEED_HI);
    }
    const want = states.map((s) => single.add(Uint32Array.from(s), 0));
    if (carried) batched.prepare(buf, states.length, stride, at, W);
    else batched.prepare(buf, states.length, stride, at);
    const got = states.map((_, k) => batched.addPrepared(buf, k));
    expect(got).toEqual(want);
  }
  expect(batched.size).toBe(single.size);
  // Stored under the hash `add` computes (a carried hash read from the wrong word would not be found).
  const again = bs.flatMap((b) => b.states).map((s) => batched.add(Uint32Array.from(s), 0));
  expect(again.filter((id) => id >= 0)).toEqual([]);
  // The exact store keeps the encodings themselves: each id's record is the state's words.
  if (single instanceof ExactStore && batched instanceof ExactStore) {
    const wrong: number[] = [];
    for (let id = 0; id < single.size; id++) {
      const [a, b] = [single.chunk(id), batched.chunk(id)];
      const [oa, ob] = [single.offset(id), batched.offset(id)];
      for (let j = 0; j < W; j++) if (a[oa + j] !== b[ob + j]) wrong.push(id);
    }
    expect(wrong).toEqual([]);
  }
}

describe('probes in batches', () => {
  test.prop([batches])('exact store: the ids of adding one at a time', (bs) => {
    sameIds(() => new ExactStore(W, RESERVE), bs);
  });

  test.prop([batches])('fingerprint store: the ids of adding one at a time', (bs) => {
    sameIds(() => new FingerprintStore(W, RESERVE), bs);
  });

  test.prop([fc.array(state, { minLength: 1, maxLength: 40 })])(
    'the default layout is packed states from offset 0',
    (states) => {
      const a = new ExactStore(W, RESERVE);
      const b = new ExactStore(W, RESERVE);
      const buf = new Uint32Array(states.flat());
      a.prepare(buf, states.length);
      b.prepare(buf, states.length, W, 0);
      expect(states.map((_, k) => a.addPrepared(buf, k))).toEqual(states.map((_, k) => b.addPrepared(buf, k)));
    },
  );

  it('a batch larger than the table: the table grows between two adds of it, and every id is right', () => {
    // The exact table starts at 65,536 slots, at most 85% full: this batch grows it part-way.
    const n = 70_000;
    const buf = new Uint32Array(n * W);
    for (let k = 0; k < n; k++) buf.set([k, k * 7, 3], k * W);
    const store = new ExactStore(W, RESERVE);
    store.prepare(buf, n);
    const ids = Array.from({ length: n }, (_, k) => store.addPrepared(buf, k));
    expect(ids.every((id, k) => id === k)).toBe(true);
    store.prepare(buf, n);
    expect(Array.from({ length: n }, (_, k) => store.addPrepared(buf, k)).every((id) => id === -1)).toBe(true);
  });
});
