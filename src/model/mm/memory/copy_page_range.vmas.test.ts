/**
 * copy_page_range() and dup_mmap() in the whole model (docs/kernel-rules.md §2.7, §2.17): VMA attributes,
 * VM_DONTCOPY, zero-page PTEs and data tracking. copy_page_range.test.ts holds bench-core's rules.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  dofork,
  dontfork,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  mmOf,
  mprotect,
  newSmallFolio,
  pageOf,
  pin,
  pteOf,
  read,
  setVm,
  write,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ ops: [...CORE_OPS, 'write', 'read', 'mprotect', 'dontfork', 'dofork'], ...over });

/** Expected-state edit: pages `pages` of slot 0, mapped at the same addresses, are shared with child mm1. */
function shared(d: Kernel, pages: readonly number[], refcount: number): void {
  for (const a of pages) {
    pteOf(d, 0, a).write = false;
    mapPte(d, 1, a, 0, a, false);
    Object.assign(pageOf(d, 0, a), { _mapcount: 2, anon_exclusive: false });
  }
  folioOf(d, 0)._refcount = refcount;
}

describe('fork over VMAs (docs/kernel-rules.md §2.7)', () => {
  it('§2.7 dup_mmap(): the child gets each VMA but the VM_DONTCOPY ones, with its flags and pgoff', () => {
    const before = kernelAfter(cfg(), [dontfork(0, 2, 2), mprotect(0, 1, 1, 'ro')]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: true, dontcopy: false, pgoff: 0 });
      setVm(d, 1, 1, { mapped: true, write: false, dontcopy: false, pgoff: 1 });
    });
  });

  it('§2.17 + §2.7: a large folio split by MADV_DONTFORK: only the copied pages are shared; the rest stay AE and RW', () => {
    const before = kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2)]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: true, pgoff: 0 });
      setVm(d, 1, 1, { mapped: true, write: true, pgoff: 1 });
      shared(d, [0, 1], 6);
      // Pages 2 and 3: untouched, still exclusive to the parent and writable.
    });
  });

  it('§6 batch boundaries: a fork batch stops at a VMA end (one tuple per batch in the child)', () => {
    const before = kernelAfter(cfg({ tuple: true }), [write(0, 0), mprotect(0, 1, 1, 'ro')]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      for (let a = 0; a < 4; a++) setVm(d, 1, a, { mapped: true, write: a !== 1, pgoff: a });
      shared(d, [0, 1, 2, 3], 8);
      folioOf(d, 0).mc[0] = 4; // 1 + three batches: 0 | 1 | 2-3
    });
  });

  it('§2.7 + §2.3: zero-page PTEs are copied, but only into the VMAs the child gets', () => {
    // The VMA got an anon_vma (a fault, zapped again): fork copies its zero-page PTEs (vma_needs_copy()).
    const before = kernelAfter(cfg(), [fault(0, 0), zap(0, 0, 4), read(0, 1), read(0, 2), dontfork(0, 2, 2)]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: true, pgoff: 0 });
      setVm(d, 1, 1, { mapped: true, write: true, pgoff: 1 });
      pteOf(d, 1, 1).zero = true;
    });
  });

  it('§2.7 copy_present_page(): the child’s copy of a pinned AE page is writable only if the VMA is (VM_WRITE)', () => {
    const before = kernelAfter(cfg({ large: 1 }), [write(0, 0), pin(0, 0), mprotect(0, 0, 1, 'ro')]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: false, pgoff: 0 });
      for (let a = 1; a < 4; a++) setVm(d, 1, a, { mapped: true, write: true, pgoff: a });
      newSmallFolio(d, 1);
      mapPte(d, 1, 0, 1, 0, false);
    });
  });

  it('§2.7 + I15: the child inherits the parent’s record of what it wrote, for the copied pages only', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), write(0, 2), dontfork(0, 2, 2)]);
    expectStep(before, fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: true, pgoff: 0 });
      setVm(d, 1, 1, { mapped: true, write: true, pgoff: 1 });
      shared(d, [0, 1], 6);
      mmOf(d, 1).expect[0] = 1;
    });
  });

  it('§2.17: after the fork the DONTCOPY pages are the parent’s alone: a store needs no fault; the child has no VMA there', () => {
    const after = kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2), fork(0)]);
    expectRefused(after, write(0, 2), 'NOP');
    expectRefused(after, write(1, 2), 'EFAULT');
    expectRefused(after, read(1, 3), 'EFAULT');
  });

  it('§2.2 era D after §2.17: a shared page of the split folio is copied on write, by either side', () => {
    const before = kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2), fork(0)]);
    expectStep(before, write(0, 1), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 0, 1, 1, 0, true);
      pageOf(d, 0, 1)._mapcount = 1;
      folioOf(d, 0)._refcount = 5;
    });
    expectStep(before, write(1, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 1, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 5;
    });
  });

  it('dup_mmap:dontcopy is counted by a fork that leaves out a VM_DONTCOPY range, and only then', () => {
    const dontcopyOf = (k: Kernel): number => {
      resetBranches();
      expect(applyAction(k, fork(0))).toBe(0);
      return branchCountsByName()['dup_mmap:dontcopy'] ?? 0;
    };
    expect(dontcopyOf(kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2)]))).toBeGreaterThan(0);
    expect(dontcopyOf(kernelAfter(cfg(), [write(0, 0)]))).toBe(0);
    // A range made VM_DONTCOPY and then copyable again (MADV_DOFORK) is copied.
    expect(dontcopyOf(kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2), dofork(0, 2, 2)]))).toBe(0);
  });
});
