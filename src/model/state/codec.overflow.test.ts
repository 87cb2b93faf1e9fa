/**
 * Deterministic companions of codec.compiled.test.ts's random laws, for what a random run reaches only by
 * luck: every field the format bounds is refused by both encoders with the same name, value and width when
 * it holds a value past its bits; slots nothing references (a leaked folio, a leaked swap slot) are numbered
 * as the generic encoder numbers them; and the encoding does not depend on the generation counter, across
 * its wrap.
 */
import { describe, expect, test } from 'vitest';
import { config } from '../../../test/helpers.js';
import { fixedWalkStates, wholeModel } from '../../../test/walks.js';
import type { Config } from '../config.js';
import { OP_NAMES } from '../steps/index.js';
import { Codec, EncodingOverflow } from './codec.js';
import { copyKernel } from './plain.js';
import type { Kernel } from './schema.js';
import { FOLIO_AT, PIN_AT, SWAP_SLOT_AT } from './views.generated.js';
import { KernelView, Layout } from './views.js';

type Encode = (w: Int32Array, out: Uint32Array, at: number) => void;

/** The words an encoder writes, or the refusal it throws. */
function outcome(encode: Encode, w: Int32Array, words: number): unknown {
  const out = new Uint32Array(words);
  try {
    encode(w, out, 0);
    return [...out];
  } catch (e) {
    if (!(e instanceof EncodingOverflow)) throw e;
    return { field: e.field, value: e.value, bits: e.bits };
  }
}

function setup(cfg: Config, opts: { unrollLimit?: number; generation?: number } = {}) {
  const lay = new Layout(cfg);
  const codec = new Codec(cfg, lay, opts);
  return { codec, view: new KernelView(cfg, lay), generic: codec.encodeGeneric.bind(codec) };
}

/**
 * Values past every field's bits: -1 (all bits), 2 and 3 (past a flag; 3 pages is no folio's size) and
 * 2^30 (past every counter and name); and 0, a field cleared (a folio freed under its references).
 */
const EDITS = [-1, 0, 2, 3, 2 ** 30];

/**
 * Sets each word of each state in turn to each of EDITS; expects both encoders to do the same with it;
 * returns the fields they refused.
 */
function refusals(cfg: Config, states: readonly Kernel[], unrollLimit?: number): Set<string> {
  const { codec, view, generic } = setup(cfg, unrollLimit === undefined ? {} : { unrollLimit });
  const fields = new Set<string>();
  const live = new Uint8Array(view.w.length);
  for (const k of states) {
    copyKernel(k, view);
    const w = view.w;
    // Only states with a word set that no earlier one set: a record first live (the sweep takes seconds).
    if (!w.some((x, i) => x !== 0 && live[i] === 0)) continue;
    w.forEach((x, i) => {
      if (x !== 0) live[i] = 1;
    });
    for (let i = 0; i < w.length; i++) {
      const was = w[i] as number;
      for (const v of EDITS) {
        w[i] = v;
        const want = outcome(generic, w, codec.words);
        const got = outcome(codec.encode, w, codec.words);
        // Compared as strings first: expect's deep equality on every one of these edits took most of the time.
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `word ${i} = ${v}`).toEqual(want);
        if (!Array.isArray(want)) fields.add((want as { field: string }).field);
      }
      w[i] = was;
    }
  }
  return fields;
}

/** The fields every configuration with VMAs, PTEs, pins and folios bounds, whatever else it has. */
const COMMON = [
  'mm.live',
  'folio slot',
  'pte.write',
  'pte.page',
  'folio.nr_pages',
  'folio._refcount',
  'folio._pincount',
  'page._mapcount',
  'page.anon_exclusive',
  'pin.attached',
  'pin.write',
  // No bits where FOLL_GET references are not modelled: any value but 0 is refused.
  'pin.get',
  'pin.mm',
  'pin.addr',
  'pin.page',
];
const VMAS = ['vm.write', 'vm.dontcopy', 'vm.account', 'vm.fork_child', 'vm.anon_vma', 'vm.pgoff'];
const SWAP = ['pte.swp_exclusive', 'swap slot', 'swap.count'];
/** The schemes' words, by name (two schemes may keep a word of the same name). */
const words = (cfg: Config): string[] => [...new Set(cfg.folioWords.map((w) => `folio.${w.name}`))];

describe('every field past its bits: both encoders refuse it, naming it alike', () => {
  test('the whole model (VMAs, huge PMDs, swap, contents, FOLL_GET pins, every scheme), written out and as loops', () => {
    const cfg = wholeModel('6.15');
    const states = fixedWalkStates(cfg);
    const want = [...COMMON, ...VMAS, ...SWAP, 'pmd.write', 'folio._entire_mapcount', 'content value'];
    want.push('bad_page', ...words(cfg));
    expect([...refusals(cfg, states)].sort()).toEqual(want.sort());
    expect([...refusals(cfg, states.slice(0, 40), 0)].sort()).toEqual(want.sort());
  });

  test('a scheme deciding for the kernel: PG_partially_mapped is kept, and bounded', () => {
    const cfg = wholeModel('6.15', { decider: 'tuple-naive', schemes: [] });
    const fields = refusals(cfg, fixedWalkStates(cfg));
    expect(fields).toContain('folio.partially_mapped');
    expect([...fields].filter((f) => f.startsWith('folio.') && words(cfg).includes(f))).toEqual(words(cfg));
  });

  test('zero-page PTEs without swap: a swap PTE is refused as such', () => {
    const ops = OP_NAMES.filter((op) => !['reclaim', 'pageout', 'cold'].includes(op));
    const cfg = wholeModel('6.15', { swap: 0, ops, data: false, schemes: [] });
    expect(cfg.specialPtes).toBe(true);
    const fields = refusals(cfg, fixedWalkStates(cfg));
    expect(fields).toContain('pte.swp');
    expect(fields).not.toContain('content value');
  });

  test('bench-core’s shape: a PTE is none or present, and nothing else is encoded', () => {
    const cfg = config({ mms: 2, va: 4, pt: 4, large: 4, slots: 8, pins: 1, tuple: true });
    const states = fixedWalkStates(cfg);
    const want = ['mm.live', 'folio slot', 'pte.write', 'pte.page', 'folio.nr_pages', 'folio._refcount'];
    want.push('folio._pincount', 'page._mapcount', 'page.anon_exclusive', 'pin.attached', 'pin.write', 'pin.get');
    want.push('pin.mm', 'pin.addr', 'pin.page', 'bad_page', ...words(cfg));
    expect([...refusals(cfg, states)].sort()).toEqual(want.sort());
  });
});

describe('slots nothing references are numbered after the referenced ones, alike in both encoders', () => {
  const cfg = wholeModel('6.15');
  const states = fixedWalkStates(cfg).filter((_, i) => i % 4 === 0);

  test('a leaked folio: every free slot in turn made used, with nothing mapping it', () => {
    const { codec, view, generic } = setup(cfg);
    const lay = view.lay;
    let leaks = 0;
    for (const k of states) {
      copyKernel(k, view);
      const w = view.w;
      const before = outcome(generic, w, codec.words);
      for (let s = 0; s < cfg.slots; s++) {
        const o = lay.folio(s);
        if (w[o + FOLIO_AT.used] !== 0) continue;
        const saved = w.slice();
        w[o + FOLIO_AT.used] = 1;
        w[o + FOLIO_AT.nr_pages] = 1;
        w[o + FOLIO_AT._refcount] = 1;
        (w[lay.nrFolios] as number)++;
        const want = outcome(generic, w, codec.words);
        expect(want, 'a leaked folio is kept in the encoding').not.toEqual(before);
        expect(outcome(codec.encode, w, codec.words)).toEqual(want);
        w.set(saved);
        leaks++;
      }
    }
    expect(leaks).toBeGreaterThan(cfg.slots);
  });

  test('a leaked swap slot, out of or in the swapcache (of each folio slot)', () => {
    const { codec, view, generic } = setup(cfg);
    const lay = view.lay;
    let leaks = 0;
    for (const k of states) {
      copyKernel(k, view);
      const w = view.w;
      const before = outcome(generic, w, codec.words);
      for (let i = 0; i < cfg.swap; i++) {
        const o = lay.swap(i);
        if (w[o + SWAP_SLOT_AT.used] !== 0) continue;
        for (let cache = -1; cache < cfg.slots; cache++) {
          const saved = w.slice();
          w[o + SWAP_SLOT_AT.used] = 1;
          w[o + SWAP_SLOT_AT.count] = 1;
          if (cache >= 0) {
            w[o + SWAP_SLOT_AT.cache] = 1;
            w[o + SWAP_SLOT_AT.folio] = cache;
          }
          const want = outcome(generic, w, codec.words);
          expect(want, 'a leaked swap slot is kept in the encoding').not.toEqual(before);
          expect(outcome(codec.encode, w, codec.words)).toEqual(want);
          w.set(saved);
          leaks++;
        }
      }
    }
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

describe('EncodingOverflow', () => {
  test('names the field, its value and its width, as the model error a run reports', () => {
    const e = new EncodingOverflow('page._mapcount', 9, 3);
    expect(e.message).toBe('state field page._mapcount = 9 does not fit its 3-bit encoding');
    expect(e.name).toBe('EncodingOverflow');
    expect(String(e)).toBe('EncodingOverflow: state field page._mapcount = 9 does not fit its 3-bit encoding');
  });
});
