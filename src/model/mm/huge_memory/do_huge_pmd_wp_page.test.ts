/**
 * do_huge_pmd_wp_page(): a write or unshare fault on a read-only huge PMD (docs/kernel-rules.md §2.5, 5.19+; era D
 * 5.19-6.14 for the PTE fallback). Write faults come through handle_mm_fault() (the step `write`);
 * unshare faults are pin_user_pages()'s first half, called directly here.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  config,
  exit,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  get,
  kernelAfter,
  mapPte,
  mmOf,
  mprotect,
  newSmallFolio,
  pageOf,
  pin,
  pmdOf,
  pteOf,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import type { WpFault } from '../memory/do_wp_page.js';
import { do_huge_pmd_wp_page } from './do_huge_pmd_wp_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

const hugeWp =
  (m: number, a: number, fault: WpFault) =>
  (k: Kernel): 0 | string =>
    do_huge_pmd_wp_page(k, m, a, fault);

/** Expected-state edit: mm m's PMD over pages 0..3 of slot 0 was split into read-only, non-AE PTEs. */
function splitShared(d: Kernel, m: number): void {
  clearPmd(d, m, 0);
  for (let a = 0; a < 4; a++) {
    mapPte(d, m, a, 0, a, false);
    pageOf(d, 0, a)._mapcount += 1;
  }
  folioOf(d, 0)._refcount += 3; // +pt-1: the PMD's one reference becomes pt PTE references
  folioOf(d, 0)._entire_mapcount -= 1;
}

/** Expected-state edit: page `a` of slot 0 lost the PTE at (m, a) to a copy in slot `s` (wp_page_copy()). */
function copiedOut(d: Kernel, m: number, a: number, s: number, write: boolean, data = 0): void {
  newSmallFolio(d, s, data);
  mapPte(d, m, a, s, 0, write);
  pageOf(d, 0, a)._mapcount -= 1;
  folioOf(d, 0)._refcount -= 1;
}

describe('do_huge_pmd_wp_page, write fault (docs/kernel-rules.md §2.5)', () => {
  it('§2.5 + §2.2 era D: a THP shared at fork: the child’s write splits its PMD and copies the one page written', () => {
    // thp(0,1) stored value 1 in page 1; the child's store copies it, then writes value 2 into the copy.
    const before = kernelAfter(cfg({ data: true }), [thp(0, 1), fork(0)]);
    expectStep(before, write(1, 1), (d) => {
      splitShared(d, 1);
      copiedOut(d, 1, 1, 1, true, 2);
      mmOf(d, 1).expect[1] = 2;
      d.values = 2;
    });
  });

  it('§2.5: the parent’s write is handled the same way; the child keeps the whole PMD', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0)]);
    expectStep(before, write(0, 3), (d) => {
      splitShared(d, 0);
      copiedOut(d, 0, 3, 1, true);
    });
  });

  it('§2.5: after the child exited the refcount is 1: the whole PMD is reused, AE set on the head, made writable', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]);
    expectStep(before, write(0, 2), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pmdOf(d, 0, 0).write = true;
    });
  });

  it('§2.5: an AE head is reused without looking at the refcount (a pin holds a second reference)', () => {
    // The pin's unshare made the head AE and left the PMD read-only (§2.4).
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1), pin(0, 1)]);
    expectStep(before, write(0, 3), (d) => {
      pmdOf(d, 0, 0).write = true;
    });
  });

  // The mapcount rule and its fix (§4 B5): one mapping, a second reference (a GUP get, not a pin: no unshare;
  // on a read-only mapping, so that 5.8's GUP does not break COW first).
  const gotAfterFork = [thp(0, 0), fork(0), mprotect(1, 0, 4, 'ro'), get(1, 1), exit(1)];
  const withGet = [...THP_SWAP_OPS, 'get', 'mprotect'] as const;

  for (const era of ['5.7', '5.8', '5.9'] as const) {
    it(`§4 B5 (<= 5.17; ${era}): a THP mapped once is reused by mapcount, although a GUP reference holds it`, () => {
      const before = kernelAfter(cfg({ era, ops: [...withGet] }), gotAfterFork);
      expectStep(before, write(0, 2), (d) => {
        pmdOf(d, 0, 0).write = true; // no PG_anon_exclusive before 5.19
      });
    });
  }

  it('§4 B5 fixed (5.18+; 6.15 here): the same THP is split and the one page copied', () => {
    const after = kernelAfter(cfg({ era: '6.15', ops: [...withGet] }), [...gotAfterFork, write(0, 2)]);
    expect(pmdOf(after, 0, 0).huge).toBe(false);
    expect(pteOf(after, 0, 2)).toMatchObject({ present: true, write: true, folio: 1, page: 0 });
    expect(pteOf(after, 0, 1)).toMatchObject({ present: true, write: false, folio: 0, page: 1 });
  });

  it('is not entered on a PMD that maps no folio, nor on a writable one (EINVAL)', () => {
    expectRefused(kernelAfter(cfg(), [fault(0, 0)]), hugeWp(0, 0, 'write'), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), hugeWp(0, 0, 'write'), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), hugeWp(0, 0, 'unshare'), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), hugeWp(5, 0, 'write'), 'EINVAL'); // no mm 5: no PMD at all
  });

  it('§2.0 sanitize_fault_flags(): a write fault needs VM_WRITE (EINVAL; the user store is a SIGSEGV, EFAULT)', () => {
    const ro = config({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    const before = kernelAfter(ro, [thp(0, 0), fork(0), exit(1), mprotect(0, 0, 4, 'ro')]);
    expectRefused(before, hugeWp(0, 0, 'write'), 'EINVAL');
    expectRefused(before, write(0, 0), 'EFAULT');
  });

  it('bench-core alloc: not enabled when the fallback must copy and no slot is free (ENOMEM)', () => {
    expectRefused(kernelAfter(cfg({ slots: 1 }), [thp(0, 0), fork(0)]), write(1, 1), 'ENOMEM');
  });
});

describe('do_huge_pmd_wp_page, unshare fault (docs/kernel-rules.md §2.4, §2.5)', () => {
  it('§2.4 + §2.5: a shared THP: split, then an exclusive read-only copy of the one page', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0)]);
    expectStep(before, hugeWp(1, 2, 'unshare'), (d) => {
      splitShared(d, 1);
      copiedOut(d, 1, 2, 1, false);
    });
  });

  it('§2.4 + §2.5: refcount 1: the head is made AE and the PMD stays read-only', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]);
    expectStep(before, hugeWp(0, 1, 'unshare'), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
    });
  });

  it('§2.4: an AE head needs nothing', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1), pin(0, 1)]);
    expectStep(before, hugeWp(0, 2, 'unshare'), () => {});
  });

  it('§2.4: unsharing needs no VM_WRITE: the copy is read-only anyway', () => {
    const ro = config({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    const before = kernelAfter(ro, [thp(0, 0), fork(0), mprotect(1, 0, 4, 'ro')]);
    expectStep(before, hugeWp(1, 0, 'unshare'), (d) => {
      splitShared(d, 1);
      copiedOut(d, 1, 0, 1, false);
    });
  });
});
