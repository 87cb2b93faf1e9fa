/**
 * nothingFreedIsUsedNothingLeaks (docs/kernel-rules.md §1.6, §5 I4, I8): every pin and swap entry names something
 * allocated, swap counts equal the swap entries, the exclusive marker is unique, and nothing allocated is
 * left unreferenced. Each clause on a state broken by hand, as a buggy rule would leave it, with the exact words of
 * explain(): the swapcache's clauses too (a swapcache folio references itself only; a used slot at swap count 0
 * needs a mapped or pinned, allocated swapcache folio), and slots past the end of a table, which must read as
 * freed rather than throw.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  clearPte,
  config,
  fault,
  folioOf,
  fork,
  freeSlot,
  kernelAfter,
  pin,
  pinOf,
  pteOf,
  read,
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

  it('a pin naming a slot past the end of the folio table, or the page just past the end of its folio', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), pin(0, 0)]),
      (k) => {
        pinOf(k, 0).folio = k.folio.length;
      },
      [`pin 0 (mm0 0x0) names folio ${cfg().slots}, which is freed`],
    );
    expectCaught(
      kernelAfter(cfg({ large: 4 }), [thp(0, 0), pin(0, 3)]),
      (k) => {
        folioOf(k, 0).nr_pages = 3;
      },
      ['pin 0 (mm0 0x3) names folio 0, which is freed'],
    );
  });

  it('§1.6: a swap entry naming a slot past the end of the swap table', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fault(0, 1), reclaim(0, 1, 1)]),
      (k) => {
        pteOf(k, 0, 1).swap = k.swap.length;
      },
      ['mm0 0x1 names swap slot 2, which is free', 'swap slot 0: count 1, but 0 swap entries name it'],
    );
  });

  it('§1.6: a swap entry where there are no swap slots at all (the check once skipped the PTEs then)', () => {
    expectCaught(
      kernelAfter(cfg({ swap: 0 }), [fault(0, 0), fault(0, 1)]),
      (k) => {
        Object.assign(pteOf(k, 0, 1), { present: false, folio: 0, page: 0, write: false, swp: true, swap: 0 });
        Object.assign(pteOf(k, 0, 2), { present: true, folio: 1, page: 0 });
      },
      ['mm0 0x1 names swap slot 0, which is free'],
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

  it('a leaked folio next to a mapped one: only its own pages count (4-page folios in adjacent slots)', () => {
    expectCaught(
      kernelAfter(cfg({ large: 4, va: 8 }), [fault(0, 0), fault(0, 4)]),
      (k) => {
        for (let a = 0; a < 4; a++) clearPte(k, 0, a);
      },
      ['folio 0 is allocated but nothing maps or pins it (a leak)'],
    );
  });

  it('a pin references its own folio only: another unmapped folio still leaks', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fault(0, 2), pin(0, 0)]),
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

/** Swap-in of 0x1 (fault, fault, reclaim, read): slot 0 at swap count 0, held by its mapped swapcache folio 1. */
const swappedIn = () => kernelAfter(cfg(), [fault(0, 0), fault(0, 1), reclaim(0, 1, 1), read(0, 1)]);

describe('nothingFreedIsUsedNothingLeaks: the swapcache', () => {
  it('a swapcache folio is referenced by the swapcache alone (zapped, its slot still named); without it, it leaks', () => {
    // fork, reclaim, swap-in: slot 0 at count 1 (mm1's entry) caches folio 0, which mm0 maps. The kernel keeps
    // the folio in the swapcache after mm0's zap until reclaim; the model frees it at once, so it is built here.
    const k = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0)]);
    clearPte(k, 0, 0);
    expectCaught(
      k,
      (b) => {
        Object.assign(b.swap[0] ?? {}, { cache: false, folio: 0 });
      },
      ['folio 0 is allocated but nothing maps or pins it (a leak)'],
    );
  });

  it('a swap slot without a swapcache folio does not hold folio slot 0 (its folio field means nothing)', () => {
    // After the reclaim, slot 0 is used at count 1, no cache, folio field 0; folio 0 is mapped at 0x0.
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fault(0, 1), reclaim(0, 1, 1)]),
      (k) => {
        clearPte(k, 0, 0);
      },
      ['folio 0 is allocated but nothing maps or pins it (a leak)'],
    );
  });

  it('a swapcache folio holds only itself: another unmapped folio still leaks', () => {
    expectCaught(
      swappedIn(),
      (k) => {
        clearPte(k, 0, 0);
      },
      ['folio 0 is allocated but nothing maps or pins it (a leak)'],
    );
  });

  it('a used slot at swap count 0 whose swapcache folio nothing maps (swapcache_put_unused() skipped)', () => {
    expectCaught(
      swappedIn(),
      (k) => {
        clearPte(k, 0, 1);
      },
      ['swap slot 0 is used, but no swap entry names it and no mapped or pinned swapcache folio holds it'],
    );
  });

  it('a used slot at swap count 0 without a swapcache folio, though folio 0 (its folio field) is mapped', () => {
    expectCaught(
      kernelAfter(cfg(), [fault(0, 0), fault(0, 1), reclaim(0, 1, 1)]),
      (k) => {
        Object.assign(k.swap[1] ?? {}, { used: true, count: 0, data: 0, cache: false, folio: 0 });
      },
      ['swap slot 1 is used, but no swap entry names it and no mapped or pinned swapcache folio holds it'],
    );
  });

  it('a swapcache entry naming a freed folio, or a slot past the folio table, does not hold its slot', () => {
    // fork, reclaim, swap-in, zap: slot 0 (count 1) caches folio 0, which the swapcache alone holds.
    const k = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0)]);
    clearPte(k, 0, 0);
    expectCaught(structuredClone(k), (b) => freeSlot(b, 0), ['swap slot 0: its swapcache folio 0 is freed']);
    expectCaught(
      k,
      (b) => {
        Object.assign(b.swap[0] ?? {}, { folio: b.folio.length });
        freeSlot(b, 0);
      },
      [`swap slot 0: its swapcache folio ${k.folio.length} is freed`],
    );
  });
});
