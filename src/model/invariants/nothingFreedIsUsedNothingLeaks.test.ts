/**
 * nothingFreedIsUsedNothingLeaks (docs/kernel-rules.md §1.6, §5 I4, I8): every pin and swap entry names something
 * allocated, swap counts equal the swap entries, the exclusive marker is unique, and nothing allocated is
 * left unreferenced. Each clause on a state broken by hand, as a buggy rule would leave it.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  clearPte,
  config,
  fault,
  fork,
  kernelAfter,
  pin,
  pteOf,
  reclaim,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../test/helpers.js';
import type { Bounds } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import inv from './nothingFreedIsUsedNothingLeaks.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, large: 1, ...over });

/** The invariant holds in `good` and explains nothing; after `breakIt` it fails and explains `lines`. */
function expectCaught(good: Kernel, breakIt: (k: Kernel) => void, lines: string[]): void {
  const t = new Truth(good.cfg);
  t.recount(good);
  expect(inv.holds(good, t)).toBe(true);
  expect(inv.explain(good, t)).toEqual([]);
  breakIt(good);
  t.recount(good);
  expect(inv.holds(good, t)).toBe(false);
  expect(inv.explain(good, t)).toEqual(lines);
}

describe('nothingFreedIsUsedNothingLeaks: no use after free', () => {
  it('a pin naming a freed folio (a free that ignored the pin)', () => {
    // The zapped, pinned folio lives on the pin alone: referenced, so the state is good.
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), pin(0, 0), zap(0, 0, 1)]),
      (k) => {
        Object.assign(k.folio[0] ?? {}, { used: false, nr_pages: 0, _refcount: 0, _pincount: 0 });
        k.nr_folios -= 1;
      },
      ['pin 0 (mm0 0x0) names folio 0, which is freed'],
    );
  });

  it('a pin naming a page beyond its folio (a split that left the pin on a tail)', () => {
    expectCaught(
      kernelAfter(cfg({ large: 4 }), [thp(0, 0), pin(0, 3)]),
      (k) => {
        Object.assign(k.folio[0] ?? {}, { nr_pages: 1 });
      },
      ['pin 0 (mm0 0x3) names folio 0, which is freed'],
    );
  });

  it('§1.6: a swap entry naming a free swap slot', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 1), reclaim(0, 1, 1)]),
      (k) => {
        Object.assign(k.swap[0] ?? {}, { used: false, count: 0, data: 0 });
      },
      ['mm0 0x1 names swap slot 0, which is free'],
    );
  });
});

describe('nothingFreedIsUsedNothingLeaks: swap counts and the exclusive marker', () => {
  it('§1.6: a swap count that disagrees with the swap entries (a zap that forgot swap_free())', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]),
      (k) => {
        Object.assign(pteOf(k, 1, 0), { swp: false, swap: 0 });
      },
      ['swap slot 0: count 2, but 1 swap entries name it'],
    );
  });

  it('§1.6: a fork that forgot swap_duplicate(): count 1, two entries', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]),
      (k) => {
        Object.assign(k.swap[0] ?? {}, { count: 1 });
      },
      ['swap slot 0: count 1, but 2 swap entries name it'],
    );
  });

  it('§1.6: a used swap slot that no entry names (a leaked slot)', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), reclaim(0, 0, 1)]),
      (k) => {
        Object.assign(k.swap[1] ?? {}, { used: true, count: 1, data: 3 });
      },
      ['swap slot 1: count 1, but 0 swap entries name it'],
    );
  });

  it('§5 I4: a swap entry with the exclusive marker while another entry names the same slot (a fork that kept it)', () => {
    const good = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]);
    const t = new Truth(good.cfg);
    t.recount(good);
    expect(inv.holds(good, t)).toBe(true);
    pteOf(good, 0, 0).swp_exclusive = true;
    t.recount(good);
    expect(inv.holds(good, t)).toBe(false);
    // explain() must say why holds() failed: which entry carries the marker and which slot it shares.
    const lines = inv.explain(good, t);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/mm0 0x0/);
  });
});

describe('nothingFreedIsUsedNothingLeaks: no leak', () => {
  it('a folio nothing maps or pins (a zap that forgot to drop the reference)', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fault(0, 2)]),
      (k) => {
        clearPte(k, 0, 2);
      },
      ['folio 1 is allocated but nothing maps or pins it (a leak)'],
    );
  });

  it('a THP referenced by a huge PMD alone is referenced; with the PMD gone it leaks', () => {
    expectCaught(
      kernelAfter(cfg({ large: 4 }), [thp(0, 0)]),
      (k) => {
        clearPmd(k, 0, 0);
      },
      ['folio 0 is allocated but nothing maps or pins it (a leak)'],
    );
  });
});
