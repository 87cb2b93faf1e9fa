/**
 * copy_huge_pmd(): fork of a PMD-mapped THP (docs/kernel-rules.md §2.7 "Per huge PMD"): shared with the child,
 * both PMDs read-only, head AE cleared, entire mapcount +1; an exclusive THP that may be pinned is split in
 * the parent instead and copied page by page for the child.
 */
import { describe, it } from 'vitest';
import {
  clearPmd,
  config,
  exit,
  expectRefused,
  expectStep,
  folioOf,
  fork,
  forkChild,
  kernelAfter,
  mapPte,
  mmOf,
  newSmallFolio,
  pageOf,
  pin,
  pmdOf,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

describe('copy_huge_pmd (docs/kernel-rules.md §2.7)', () => {
  it('§2.7: an unpinned THP is shared: parent PMD write-protected, child PMD read-only, head AE cleared, entire +1, ref +1', () => {
    expectStep(kernelAfter(cfg({ tuple: true }), [thp(0, 0)]), fork(0), (d) => {
      forkChild(d, 0, 1);
      pmdOf(d, 0, 0).write = false;
      Object.assign(pmdOf(d, 1, 0), { huge: true, write: false, folio: 0 });
      Object.assign(folioOf(d, 0), { _refcount: 2, _entire_mapcount: 2, mc: [2] });
      pageOf(d, 0, 0).anon_exclusive = false;
    });
  });

  it('§2.7: a THP of the second page table is shared through its own PMD', () => {
    // copy_pmd_range() walks the PMDs: the PMD of table 1 (addresses 4-7) is copied, table 0's stays none.
    expectStep(kernelAfter(cfg({ va: 8, slots: 4 }), [thp(0, 4)]), fork(0), (d) => {
      forkChild(d, 0, 1);
      pmdOf(d, 0, 1).write = false;
      Object.assign(pmdOf(d, 1, 1), { huge: true, write: false, folio: 0 });
      Object.assign(folioOf(d, 0), { _refcount: 2, _entire_mapcount: 2 });
      pageOf(d, 0, 0).anon_exclusive = false;
    });
  });

  it('§2.7: an already shared THP is shared with a third mm the same way', () => {
    const before = kernelAfter(cfg({ mms: 3 }), [thp(0, 0), fork(0)]);
    expectStep(before, fork(1), (d) => {
      forkChild(d, 1, 2);
      Object.assign(pmdOf(d, 2, 0), { huge: true, write: false, folio: 0 });
      Object.assign(folioOf(d, 0), { _refcount: 3, _entire_mapcount: 3 });
    });
  });

  it('§2.7 + §5 I7: a pinned, exclusive THP: the parent’s PMD is split and the child gets a copy of every AE page', () => {
    // thp(0,0) stored value 1 in page 0: the child's copy of page 0 holds it too. The parent's PTEs stay
    // writable and keep mapping the pinned folio.
    const before = kernelAfter(cfg({ data: true }), [thp(0, 0), pin(0, 1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      mmOf(d, 1).expect[0] = 1;
      clearPmd(d, 0, 0);
      Object.assign(folioOf(d, 0), { _refcount: 5, _entire_mapcount: 0 });
      for (let a = 0; a < 4; a++) {
        mapPte(d, 0, a, 0, a, true);
        Object.assign(pageOf(d, 0, a), { _mapcount: 1, anon_exclusive: true });
        newSmallFolio(d, a + 1, a === 0 ? 1 : 0);
        mapPte(d, 1, a, a + 1, 0, true);
      }
    });
  });

  it('§2.7 folio_maybe_dma_pinned() is per folio: a pin on the child’s unshared copy does not stop sharing the THP', () => {
    // The child's pin split its PMD and copied page 2 into slot 1 (§2.5); the THP itself has no pin.
    const before = kernelAfter(cfg({ mms: 3 }), [thp(0, 0), fork(0), pin(1, 2)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 2);
      Object.assign(pmdOf(d, 2, 0), { huge: true, write: false, folio: 0 });
      Object.assign(folioOf(d, 0), { _refcount: 5, _entire_mapcount: 2 }); // mm1's 3 PTEs + 2 PMDs
    });
  });

  it('§2.7 + §2.5: the pinned scenario ends coherent: the parent’s store goes to the pinned page, the child’s copy keeps its own', () => {
    const before = kernelAfter(cfg({ data: true }), [thp(0, 0), pin(0, 1), fork(0)]);
    expectStep(before, write(0, 1), (d) => {
      pageOf(d, 0, 1).data = 2;
      mmOf(d, 0).expect[1] = 2;
      Object.assign(d.pin[0] ?? {}, { expect: 2 });
      d.values = 2;
    });
  });

  it('§2.7: a split THP is forked page by page like any PTE-mapped folio (no PMD in the child)', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), splitPmd(0, 0)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      folioOf(d, 0)._refcount = 8;
      for (let a = 0; a < 4; a++) {
        mapPte(d, 0, a, 0, a, false);
        mapPte(d, 1, a, 0, a, false);
        Object.assign(pageOf(d, 0, a), { _mapcount: 2, anon_exclusive: false });
      }
    });
  });

  it('bench-core fork: not enabled when the pinned THP’s copies find no free slots (ENOMEM; no part of it happens)', () => {
    expectRefused(kernelAfter(cfg({ slots: 4 }), [thp(0, 0), pin(0, 1)]), fork(0), 'ENOMEM');
  });

  it('the child of an exited child’s slot inherits the PMD too (fork reuses the mm index)', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      Object.assign(pmdOf(d, 1, 0), { huge: true, write: false, folio: 0 });
      Object.assign(folioOf(d, 0), { _refcount: 2, _entire_mapcount: 2 });
    });
  });
});
