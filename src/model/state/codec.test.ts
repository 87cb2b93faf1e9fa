/**
 * The canonical encoding (docs/bench-core.md "Canonical slots"): decode then encode is the identity on
 * encodings, and a state's encoding does not depend on which slots hold its folios.
 */

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { actionIndex, config, encodingOf, randomRun } from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import { ERAS, type Era } from '../eras.js';
import type { Kernel, Vm } from '../include/mm_types.js';
import { SCHEME_NAMES } from '../mapcount/index.js';
import { OP_NAMES } from '../steps/index.js';
import { createKernel } from './plain.js';

/** Small bounds whose slots can run out (9 folios could be needed, 8 exist), with and without tuples. */
const smallBounds = (tuple: boolean) => config({ mms: 2, va: 4, pt: 4, large: 4, slots: 8, pins: 1, tuple });

const runs = fc.record({ tuple: fc.boolean(), choices: fc.array(fc.nat(), { maxLength: 30 }) });

/** `k` with folio slot s moved to slot `to[s]` and every reference renamed with it. */
function renameSlots(k: Kernel, to: readonly number[]): Kernel {
  const r = createKernel(k.cfg);
  const slot = (s: number): number => to[s] as number;
  k.mm.forEach((mm, m) => {
    mm.pte.forEach((pte, a) => {
      Object.assign(r.mm[m]?.pte[a] ?? {}, { ...pte, folio: pte.present ? slot(pte.folio) : 0 });
    });
    mm.vm.forEach((vm, a) => {
      Object.assign(r.mm[m]?.vm[a] ?? {}, vm);
    });
    mm.pmd.forEach((pmd, t) => {
      Object.assign(r.mm[m]?.pmd[t] ?? {}, { ...pmd, folio: pmd.huge ? slot(pmd.folio) : 0 });
    });
    Object.assign(r.mm[m] ?? {}, { live: mm.live, expect: [...mm.expect] });
  });
  k.folio.forEach((folio, s) => {
    const dst = r.folio[slot(s)];
    if (dst === undefined) throw new Error('bad permutation');
    Object.assign(dst, { ...folio, pages: folio.pages.map((p) => ({ ...p })) });
  });
  k.pin.forEach((p, i) => {
    Object.assign(r.pin[i] ?? {}, { ...p, folio: p.live ? slot(p.folio) : 0 });
  });
  r.nr_folios = k.nr_folios;
  k.swap.forEach((sw, i) => {
    Object.assign(r.swap[i] ?? {}, sw);
  });
  r.values = k.values;
  r.bad_page = k.bad_page; // the bad_page() taint names schemes, not slots
  return r;
}

/**
 * The canonical form written from docs/bench-core.md, independently of codec.ts: used slots renumbered 0, 1, ...
 * in order of first reference, scanning every mm's PTEs, then the pins; unreferenced used slots (none in a
 * correct model) after them; unused slots follow as zeros.
 */
function canonicalForm(k: Kernel): Kernel {
  const order: number[] = [];
  const see = (s: number): void => {
    if (!order.includes(s)) order.push(s);
  };
  for (const mm of k.mm) for (const pte of mm.pte) if (pte.present) see(pte.folio);
  for (const p of k.pin) if (p.live) see(p.folio);
  k.folio.forEach((f, s) => {
    if (f.used) see(s);
  });
  k.folio.forEach((_, s) => {
    see(s);
  });
  const to: number[] = [];
  order.forEach((s, c) => {
    to[s] = c;
  });
  return renameSlots(k, to);
}

/** Bounds of every shape the codec lays out: fields of other widths, states over several words. */
const anyBounds = fc
  .record({
    mms: fc.integer({ min: 1, max: 4 }),
    ptLog: fc.integer({ min: 0, max: 3 }),
    tables: fc.integer({ min: 1, max: 3 }),
    largeLog: fc.integer({ min: 0, max: 3 }),
    slots: fc.integer({ min: 1, max: 20 }),
    pins: fc.integer({ min: 0, max: 3 }),
    tuple: fc.boolean(),
  })
  .map(({ mms, ptLog, tables, largeLog, slots, pins, tuple }) =>
    config({ mms, pt: 1 << ptLog, va: tables << ptLog, large: 1 << Math.min(ptLog, largeLog), slots, pins, tuple }),
  );

describe('codec (docs/bench-core.md "Canonical slots")', () => {
  test.prop([anyBounds, fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 60 })(
    'decode(encode(k)) is the canonical form of k, whatever the bounds',
    (cfg, choices) => {
      const sys = new KernelSystem(cfg);
      const words = new Uint32Array(sys.stateWords);
      for (const k of randomRun(cfg, choices).states) {
        sys.encodeKernel(k, words, 0);
        expect(sys.decodeKernel(words, 0)).toEqual(canonicalForm(k));
      }
    },
  );

  test.prop([runs], { numRuns: 60 })('decode(encode(k)) re-encodes to the same words', ({ tuple, choices }) => {
    const cfg = smallBounds(tuple);
    const sys = new KernelSystem(cfg);
    for (const k of randomRun(cfg, choices).states) {
      const words = new Uint32Array(sys.stateWords);
      sys.encodeKernel(k, words, 0);
      const decoded = sys.decodeKernel(words, 0);
      expect(encodingOf(decoded)).toEqual([...words]);
      // The decoded state is the canonical form of k, as docs/bench-core.md defines it.
      expect(decoded).toEqual(canonicalForm(k));
    }
  });

  // anon_vma names renumbered by first appearance, mm 0's pages first (0, none, stays 0): the codec's order.
  const namedInOrder = (vms: readonly (readonly Vm[])[]): Vm[][] => {
    const names = new Map<number, number>([[0, 0]]);
    return vms.map((vm) =>
      vm.map((v) => {
        if (!names.has(v.anon_vma)) names.set(v.anon_vma, names.size);
        return { ...v, anon_vma: names.get(v.anon_vma) as number };
      }),
    );
  };
  // The whole model: VMA attributes, huge PMDs, zero-page and swap PTEs, swap slots, contents and R/W pins
  // all go through the codec; the decoded state must re-encode identically and check the same.
  // Under every era and AE granularity, with every mapcount scheme's words in the state.
  const wholeBounds = (era: Era, ae: 'page' | 'folio') =>
    config({
      mms: 2,
      va: 8,
      pt: 4,
      large: 2,
      slots: 8,
      pins: 2,
      map: 6,
      swap: 3,
      data: true,
      ops: [...OP_NAMES],
      era,
      ae,
      schemes: [...SCHEME_NAMES],
    });
  test.prop([fc.array(fc.nat(), { maxLength: 40 }), fc.constantFrom(...ERAS), fc.constantFrom('page', 'folio')], {
    numRuns: 60,
  })(
    'decode(encode(k)) re-encodes to the same words and checks the same, for the whole model and every policy',
    (choices, era, ae) => {
      const cfg = wholeBounds(era, ae as 'page' | 'folio');
      const sys = new KernelSystem(cfg);
      for (const k of randomRun(cfg, choices).states) {
        const words = new Uint32Array(sys.stateWords);
        sys.encodeKernel(k, words, 0);
        const decoded = sys.decodeKernel(words, 0);
        expect(encodingOf(decoded)).toEqual([...words]);
        expect(sys.checkKernel(decoded)).toBe(sys.checkKernel(k));
        expect(decoded.mm.map((mm) => mm.vm)).toEqual(namedInOrder(k.mm.map((mm) => mm.vm)));
      }
    },
  );

  test.prop([runs, fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 })], { numRuns: 60 })(
    'the encoding does not depend on slot names',
    ({ tuple, choices }, permutation) => {
      const cfg = smallBounds(tuple);
      for (const k of randomRun(cfg, choices).states) {
        expect(encodingOf(renameSlots(k, permutation))).toEqual(encodingOf(k));
      }
    },
  );

  test.prop([runs], { numRuns: 40 })('distinct canonical states have distinct encodings', ({ tuple, choices }) => {
    const cfg = smallBounds(tuple);
    const seen = new Map<string, Kernel>();
    for (const k of randomRun(cfg, choices).states) {
      const key = encodingOf(k).join(',');
      const other = seen.get(key);
      if (other !== undefined) expect(canonicalForm(k)).toEqual(canonicalForm(other));
      seen.set(key, k);
    }
  });

  test.prop([runs], { numRuns: 40 })(
    'the search steps its typed-array view to the same canonical state as the plain objects',
    ({ tuple, choices }) => {
      const cfg = smallBounds(tuple);
      const sys = new KernelSystem(cfg);
      const start = new Uint32Array(sys.stateWords);
      const out = new Uint32Array(sys.stateWords);
      const { states, taken } = randomRun(cfg, choices);
      taken.forEach((a, i) => {
        sys.encodeKernel(states[i] as Kernel, start, 0);
        sys.load(start, 0);
        expect(sys.successor(actionIndex(sys, a), out, 0)).toBe(true);
        expect([...out]).toEqual(encodingOf(states[i + 1] as Kernel));
      });
    },
  );
});
