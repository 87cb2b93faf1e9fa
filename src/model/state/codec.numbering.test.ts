/**
 * The canonical numberings where random runs seldom go: slots nothing references (a leaked folio, a leaked
 * swap slot), swap slots only the swapcache names, the largest content value, a folio of no folio's size,
 * and the generation counter across its wrap. Each compares both encoders, and renamings where a state
 * has another name for the same thing.
 */
import { describe, expect, test } from 'vitest';
import { outcome, codecOf as setup } from '../../../test/encoders.js';
import { fixedWalkStates, wholeModel } from '../../../test/walks.js';
import { copyKernel } from './plain.js';
import type { Kernel } from './schema.js';
import { FOLIO_AT, PIN_AT, SWAP_SLOT_AT } from './views.generated.js';
import type { Layout } from './views.js';

describe('slots nothing references are numbered after the referenced ones, alike in both encoders', () => {
  const cfg = wholeModel('6.15');
  const states = fixedWalkStates(cfg).filter((_, i) => i % 4 === 0);
  type Leak = (w: Int32Array) => void;

  /** Each leak `leaksOf` offers for each state, in turn: kept in the encoding, encoded alike. How many. */
  function checkLeaks(what: string, leaksOf: (w: Int32Array, lay: Layout) => Leak[]): number {
    const { codec, view, generic } = setup(cfg);
    let checked = 0;
    for (const k of states) {
      copyKernel(k, view);
      const w = view.w;
      const before = outcome(generic, w, codec.words);
      for (const leak of leaksOf(w, view.lay)) {
        const saved = w.slice();
        leak(w);
        const want = outcome(generic, w, codec.words);
        expect(want, `${what} is kept in the encoding`).not.toEqual(before);
        expect(outcome(codec.encode, w, codec.words)).toEqual(want);
        w.set(saved);
        checked++;
      }
    }
    return checked;
  }

  test('a leaked folio: every free slot in turn made used, with nothing mapping it', () => {
    const leaks = checkLeaks('a leaked folio', (w, lay) =>
      Array.from({ length: cfg.slots }, (_, s) => lay.folio(s))
        .filter((o) => w[o + FOLIO_AT.used] === 0)
        .map((o) => (v: Int32Array) => {
          v[o + FOLIO_AT.used] = 1;
          v[o + FOLIO_AT.nr_pages] = 1;
          v[o + FOLIO_AT._refcount] = 1;
          (v[lay.nrFolios] as number)++;
        }),
    );
    expect(leaks).toBeGreaterThan(cfg.slots);
  });

  test('a leaked swap slot, out of or in the swapcache (of each folio slot)', () => {
    const leaks = checkLeaks('a leaked swap slot', (w, lay) =>
      Array.from({ length: cfg.swap }, (_, i) => lay.swap(i))
        .filter((o) => w[o + SWAP_SLOT_AT.used] === 0)
        .flatMap((o) =>
          Array.from({ length: cfg.slots + 1 }, (_, c) => (v: Int32Array) => {
            v[o + SWAP_SLOT_AT.used] = 1;
            v[o + SWAP_SLOT_AT.count] = 1;
            // c = 0: out of the swapcache; c > 0: cached by folio slot c - 1.
            if (c > 0) {
              v[o + SWAP_SLOT_AT.cache] = 1;
              v[o + SWAP_SLOT_AT.folio] = c - 1;
            }
          }),
        ),
    );
    expect(leaks).toBeGreaterThan(cfg.swap * cfg.slots);
  });
});

describe('swap slots only the swapcache names', () => {
  test('are numbered in the order of their folios, whatever their slot numbers', () => {
    const cfg = wholeModel('6.15');
    const { codec, view, generic } = setup(cfg);
    const lay = view.lay;
    // A state with no swap slot used and two folios mapped by PTEs (so numbered before any swap slot).
    const k = fixedWalkStates(cfg).find(
      (s) => s.swap.every((slot) => !slot.used) && s.folio.filter((f) => f.used && f._pincount === 0).length >= 2,
    );
    expect(k).toBeDefined();
    copyKernel(k as Kernel, view);
    const w = view.w;
    const mapped = (k as Kernel).folio.flatMap((f, s) => (f.used ? [s] : []));
    const [a, b] = mapped as [number, number];
    // Slot 0 caches the folio numbered second, slot 1 the first: both swapped in, no PTE names them.
    const cache = (i: number, folio: number): void => {
      const o = lay.swap(i);
      w[o + SWAP_SLOT_AT.used] = 1;
      w[o + SWAP_SLOT_AT.cache] = 1;
      w[o + SWAP_SLOT_AT.folio] = folio;
    };
    cache(0, b);
    cache(1, a);
    const want = outcome(generic, w, codec.words);
    expect(Array.isArray(want)).toBe(true);
    expect(outcome(codec.encode, w, codec.words)).toEqual(want);
    cache(0, a);
    cache(1, b);
    expect(outcome(generic, w, codec.words), 'the slots renamed').toEqual(want);
    expect(outcome(codec.encode, w, codec.words), 'the slots renamed').toEqual(want);
    // One of them leaked instead (used, out of the swapcache, no PTE naming it): numbered after the cached one.
    const leak = (i: number): void => {
      const o = lay.swap(i);
      w[o + SWAP_SLOT_AT.cache] = 0;
      w[o + SWAP_SLOT_AT.folio] = 0;
      w[o + SWAP_SLOT_AT.count] = 1;
    };
    const leaked: unknown[] = [];
    for (const [cached, lost] of [
      [0, 1],
      [1, 0],
    ] as const) {
      for (const folio of [a, b]) {
        cache(cached, folio);
        cache(lost, folio);
        leak(lost);
        const both = outcome(generic, w, codec.words);
        expect(outcome(codec.encode, w, codec.words), `slot ${cached} caches ${folio}`).toEqual(both);
        leaked.push(both);
        w[lay.swap(lost) + SWAP_SLOT_AT.count] = 0;
      }
    }
    // Which slot is which is a renaming: the encoding depends only on the folio cached.
    expect(leaked[2]).toEqual(leaked[0]);
    expect(leaked[3]).toEqual(leaked[1]);
  });
});

describe('a folio of a size no folio has', () => {
  test('3 pages (between two orders) is refused by both encoders, as folio.nr_pages', () => {
    const cfg = wholeModel('6.15', { large: 4 });
    const { codec, view, generic } = setup(cfg);
    expect(cfg.folioPages).toBeGreaterThanOrEqual(4);
    const k = fixedWalkStates(cfg).find((s) => s.folio.some((f) => f.used));
    copyKernel(k as Kernel, view);
    const s = (k as Kernel).folio.findIndex((f) => f.used);
    view.w[view.lay.folio(s) + FOLIO_AT.nr_pages] = 3;
    const refusal = { field: 'folio.nr_pages', value: -1, bits: codec.plan().orderBits };
    expect(outcome(generic, view.w, codec.words)).toEqual(refusal);
    expect(outcome(codec.encode, view.w, codec.words)).toEqual(refusal);
  });
});

describe('content values', () => {
  test('the largest value the table holds, held twice (two pages, a pin, a swap slot): numbered once', () => {
    const cfg = wholeModel('6.15');
    const { codec, view, generic } = setup(cfg);
    const lay = view.lay;
    const { values } = codec.plan();
    const k = fixedWalkStates(cfg).find((s) => s.folio.some((f) => f.used));
    expect(k).toBeDefined();
    copyKernel(k as Kernel, view);
    const w = view.w;
    const holders = [lay.expect(0, 0), lay.expect(0, 1), lay.pin(0) + PIN_AT.expect, lay.swap(0) + SWAP_SLOT_AT.data];
    w[lay.pin(0) + PIN_AT.live] = 1;
    w[lay.swap(0) + SWAP_SLOT_AT.used] = 1;
    for (const big of [values - 1, values - 2, values - 3]) {
      for (const at of holders) w[at] = big;
      const want = outcome(generic, w, codec.words);
      expect(Array.isArray(want), `value ${big}`).toBe(true);
      expect(outcome(codec.encode, w, codec.words), `value ${big}`).toEqual(want);
      for (const at of holders) w[at] = 1;
      // The same state with another name for the value: a renaming, the same encoding.
      expect(outcome(generic, w, codec.words), `value ${big} renamed 1`).toEqual(want);
    }
  });
});

describe('the generation counter', () => {
  test('started just before its wrap, both encoders write what a fresh codec writes, across the wrap', () => {
    const cfg = wholeModel('6.15');
    // States that name folios, swap slots, anon_vmas and contents: the numberings the generation guards.
    const states = fixedWalkStates(cfg)
      .filter((k) => k.nr_folios > 1)
      .slice(0, 6);
    const fresh = setup(cfg);
    expect(states.length).toBe(6);
    // The wrap at the first, second or third encode: a slot first named then must not look named already.
    for (const generation of [-1, -2, -3]) {
      const wrapping = setup(cfg, { generation });
      for (const k of states) {
        copyKernel(k, fresh.view);
        const want = outcome(fresh.generic, fresh.view.w, fresh.codec.words);
        expect(Array.isArray(want)).toBe(true);
        expect(outcome(wrapping.codec.encode, fresh.view.w, fresh.codec.words)).toEqual(want);
        expect(outcome(wrapping.generic, fresh.view.w, fresh.codec.words)).toEqual(want);
      }
    }
  });
});
