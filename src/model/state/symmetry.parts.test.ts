/**
 * The parts of the mm renaming (state/symmetry.ts) one by one, against definitions written here:
 * `permute` is the plain renaming field by field with pin_sort() (test/helpers.ts renamedKernel); `sign`
 * reads every word of an mm's record but its names, and is moved by a renaming; `sorts` accepts exactly the
 * renamings that order the hashes; `nextTieOrder` lists exactly the other orders of pins that tie; and
 * `wordsBelow` is the lexicographic order. symmetry.test.ts checks what they make together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { config, randomRun, renamedKernel } from '../../../test/helpers.js';
import type { Bounds, Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { OP_NAMES } from '../steps/index.js';
import { copyKernel, toPlain } from './plain.js';
import { MmSymmetry, permutations, wordsBelow } from './symmetry.js';
import { MM_AT, PIN_AT, PMD_AT, PTE_AT, VM_AT } from './views.generated.js';
import { KernelView, Layout, PIN_WORDS } from './views.js';

/** Every step, contents, swap and three pins (era 6.15: mm-id's words hold mm ids). */
const WHOLE: Partial<Bounds> = {
  mms: 3,
  va: 2,
  pt: 2,
  large: 2,
  slots: 3,
  pins: 3,
  map: 2,
  swap: 1,
  data: true,
  era: '6.15',
  ops: OP_NAMES,
  symmetry: true,
};
/** No contents, no VMA changes: the mm record's names are only PTEs' and PMDs'. */
const SMALL: Partial<Bounds> = {
  mms: 3,
  va: 4,
  pt: 2,
  large: 2,
  slots: 2,
  pins: 2,
  era: '6.15',
  ops: ['fault', 'fork', 'write', 'zap', 'exit', 'pin', 'unpin'],
  symmetry: true,
};

interface Parts {
  readonly cfg: Config;
  readonly lay: Layout;
  readonly sym: MmSymmetry;
  readonly view: KernelView;
}
const parts = (b: Partial<Bounds>): Parts => {
  const cfg = config(b);
  const lay = new Layout(cfg);
  return { cfg, lay, sym: new MmSymmetry(cfg, lay), view: new KernelView(cfg, lay) };
};
const wordsOf = ({ view }: Parts, k: Kernel): Int32Array => {
  copyKernel(k, view);
  return view.w.slice();
};
const lastState = (cfg: Config, choices: readonly number[]): Kernel => randomRun(cfg, choices).states.at(-1) as Kernel;

/** A pin entry of any values the fields can hold (the table need not be sorted: `permute` sorts it). */
const anyPin = (cfg: Config) =>
  fc.record({
    live: fc.boolean(),
    mm: fc.nat({ max: cfg.mms - 1 }),
    addr: fc.nat({ max: cfg.va - 1 }),
    attached: fc.boolean(),
    write: fc.boolean(),
    page: fc.nat({ max: 1 }),
  });
type AnyPin = ReturnType<ReturnType<typeof anyPin>['generate']>['value'];

/** `k` with its pin table replaced by `pins` (dead entries zero, as pin_table.ts leaves them). */
function withPins(k: Kernel, pins: readonly AnyPin[]): Kernel {
  const r = toPlain(k);
  pins.forEach((p, i) => {
    const to = r.pin[i] as Kernel['pin'][number];
    to.live = p.live;
    to.mm = p.live ? p.mm : 0;
    to.addr = p.live ? p.addr : 0;
    to.attached = p.live && p.attached;
    to.write = p.live && p.write;
    to.page = p.live ? p.page : 0;
  });
  return r;
}

describe('MmSymmetry.permute', () => {
  for (const [name, b] of [
    ['whole model', WHOLE],
    ['small pages', SMALL],
  ] as const) {
    it(`is the plain renaming with detached pins erased and the pins sorted (${name})`, () => {
      const p = parts(b);
      const perms = permutations(p.cfg.mms);
      const dst = new Int32Array(p.lay.words);
      // mm-id's words are set to any id in every slot, free ones too: each is renamed alike.
      const ids = p.cfg.folioWords.flatMap((w, i) => (w.mmId === true ? [i] : []));
      fc.assert(
        fc.property(
          fc.array(fc.nat(), { maxLength: 14 }),
          fc.nat({ max: perms.length - 1 }),
          fc.option(fc.array(anyPin(p.cfg), { minLength: p.cfg.pins, maxLength: p.cfg.pins }), { nil: undefined }),
          fc.array(fc.nat({ max: p.cfg.mms }), { minLength: 8, maxLength: 8 }),
          (choices, q, pins, idValues) => {
            let k = lastState(p.cfg, choices);
            if (pins !== undefined) k = withPins(k, pins);
            k = toPlain(k);
            let n = 0;
            for (const f of k.folio) for (const i of ids) f.mc[i] = idValues[n++ % idValues.length] as number;
            const perm = perms[q] as Int32Array;
            p.sym.permute(wordsOf(p, k), dst, perm);
            expect([...dst]).toEqual([...wordsOf(p, renamedKernel(k, [...perm], true))]);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});

describe('MmSymmetry.sign', () => {
  for (const [name, b] of [
    ['whole model', WHOLE],
    ['small pages', SMALL],
  ] as const) {
    it(`hashes every word of a live mm's record but its names, and gives none 0 (${name})`, () => {
      const p = parts(b);
      const { cfg, lay, sym } = p;
      // The names, as symmetry.ts's header lists them: PTEs' folio and swap slots, contents, anon_vmas, and
      // PMDs' folio slots, each renumbered by the codec.
      const names = new Set<number>();
      for (let a = 0; a < cfg.va; a++) {
        names.add(lay.pte(0, a) + PTE_AT.folio - lay.mm(0));
        names.add(lay.pte(0, a) + PTE_AT.swap - lay.mm(0));
        if (cfg.data) names.add(lay.expect(0, a) - lay.mm(0));
        if (cfg.tracksVmas) names.add(lay.vm(0, a) + VM_AT.anon_vma - lay.mm(0));
      }
      for (let t = 0; t < cfg.nrPt; t++) names.add(lay.pmd(0, t) + PMD_AT.folio - lay.mm(0));
      const w = wordsOf(p, lastState(cfg, [3, 1, 4, 1, 5]));
      w[lay.mm(1) + MM_AT.live] = 1;
      w[lay.mm(2) + MM_AT.live] = 0;
      sym.sign(w);
      expect(sym.sig[2]).toBe(0);
      const before = [...sym.sig];
      for (const m of [0, 1]) {
        expect(Math.abs(before[m] as number) % 2, `mm ${m} lives`).toBe(1);
        for (let i = 0; i < lay.mmSize; i++) {
          if (i === MM_AT.live) continue;
          const o = lay.mm(m) + i;
          const old = w[o] as number;
          w[o] = old + 7;
          sym.sign(w);
          w[o] = old;
          expect(sym.sig[m] !== before[m], `mm ${m} word ${i}${names.has(i) ? ' (a name)' : ''}`).toBe(!names.has(i));
          expect(sym.sig[1 - m], `mm ${1 - m} is hashed alone`).toBe(before[1 - m]);
        }
      }
    });
  }

  it('moves with a renaming: the renamed state hashes mm perm[m] as the state hashes m', () => {
    const p = parts(WHOLE);
    const perms = permutations(p.cfg.mms);
    const dst = new Int32Array(p.lay.words);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 14 }), fc.nat({ max: perms.length - 1 }), (choices, q) => {
        const w = wordsOf(p, lastState(p.cfg, choices));
        const perm = perms[q] as Int32Array;
        p.sym.sign(w);
        const before = [...p.sym.sig];
        p.sym.permute(w, dst, perm);
        p.sym.sign(dst);
        for (let m = 0; m < p.cfg.mms; m++) expect(p.sym.sig[perm[m] as number]).toBe(before[m]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('MmSymmetry.sorts', () => {
  it('accepts exactly the renamings that put the hashes in order: one per order of each tie', () => {
    const { sym, cfg } = parts(WHOLE);
    const perms = permutations(cfg.mms);
    const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), (sig) => {
        sym.sig.set(sig);
        const orders = (perm: Int32Array): boolean =>
          sig.every((x, a) => sig.every((y, b) => !(x < y) || (perm[a] as number) < (perm[b] as number)));
        const accepted = perms.filter((perm) => sym.sorts(perm));
        expect(accepted.map((x) => x.join())).toEqual(perms.filter(orders).map((x) => x.join()));
        const ties = [...new Set(sig)].map((x) => sig.filter((y) => y === x).length);
        expect(accepted.length).toBe(ties.reduce((n, t) => n * factorial(t), 1));
      }),
    );
  });
});

describe('MmSymmetry.nextTieOrder', () => {
  for (const pins of [2, 3]) {
    it(`lists every other order of pins tied on (mm, addr), each once, then 0 (${pins} pins)`, () => {
      const p = parts({ ...WHOLE, pins });
      const { cfg, lay, sym } = p;
      const id = new Int32Array([0, 1, 2]);
      const sorted = new Int32Array(lay.words);
      const dst = new Int32Array(lay.words);
      const all = permutations(pins);
      fc.assert(
        fc.property(fc.array(anyPin(cfg), { minLength: pins, maxLength: pins }), (table) => {
          sym.permute(wordsOf(p, withPins(lastState(cfg, [2, 7, 1, 8]), table)), sorted, id);
          const key = (i: number): string => {
            const o = lay.pin(i);
            return sorted[o + PIN_AT.live] === 0 ? `dead ${i}` : `${sorted[o + PIN_AT.mm]} ${sorted[o + PIN_AT.addr]}`;
          };
          // Expected: the orders other than the identity that move pins only onto pins of the same key.
          const expected = all.slice(1).filter((q) => [...q].every((j, i) => key(j) === key(i)));
          const reordered = (q: Int32Array): string => {
            const w = sorted.slice();
            for (let i = 0; i < pins; i++)
              w.set(sorted.subarray(lay.pin(q[i] as number), lay.pin(q[i] as number) + PIN_WORDS), lay.pin(i));
            return w.join();
          };
          const got: string[] = [];
          let last = 0;
          for (let q = sym.nextTieOrder(sorted, dst, 0); q > 0; q = sym.nextTieOrder(sorted, dst, q)) {
            expect(q).toBeGreaterThan(last);
            expect(got.length).toBeLessThan(all.length);
            last = q;
            got.push(dst.join());
          }
          expect(got.sort()).toEqual(expected.map(reordered).sort());
        }),
        { numRuns: 150 },
      );
    });
  }

  it('has nothing to reorder with one pin', () => {
    const p = parts({ ...WHOLE, pins: 1 });
    const w = wordsOf(p, lastState(p.cfg, [1, 2, 3]));
    expect(p.sym.nextTieOrder(w, new Int32Array(p.lay.words), 0)).toBe(0);
  });
});

describe('wordsBelow', () => {
  it('is the lexicographic order of the n words at each offset, reading no word past them', () => {
    const words = fc.array(fc.nat({ max: 3 }), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(words, words, fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 3 }), (x, y, at, bt, n) => {
        const a = Uint32Array.from(x);
        const b = Uint32Array.from(y);
        const u = x.slice(at, at + n);
        const v = y.slice(bt, bt + n);
        const i = u.findIndex((e, j) => e !== v[j]);
        expect(wordsBelow(a, at, b, bt, n)).toBe(i >= 0 && (u[i] as number) < (v[i] as number));
      }),
    );
  });
});
