/**
 * VMA merging follows the anon_vmas (mm/vma.c is_mergeable_anon_vma(), find_mergeable_anon_vma();
 * mm/mprotect.c mprotect_fixup()'s VM_ACCOUNT). Found on Linux 6.18 by `foliocheck kernel`
 * (docs/kernel-conformance.md, gap 10); the same scripts conform on the kernel (src/kernel/kernel.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  fork,
  kernelAfter,
  mmOf,
  mprotect,
  mremap,
  munmap,
  pteOf,
  read,
  zap,
} from '../../../test/helpers.js';
import type { Action } from '../actions.js';
import type { Kernel, Vm } from '../include/mm_types.js';
import { vma_end, vma_start } from './vma.js';
import { is_mergeable_anon_vma } from './vma_merge.js';

const cfg = config({
  mms: 2,
  va: 8,
  pt: 4,
  large: 4,
  slots: 8,
  pins: 0,
  map: 4,
  ops: ['fault', 'zap', 'fork', 'read', 'mprotect', 'munmap', 'mremap'],
});

/** The VMA holding page `a` of mm `m`, as [start, end). */
const vmaOf = (k: Kernel, m: number, a: number): [number, number] => [
  vma_start(mmOf(k, m), a),
  vma_end(mmOf(k, m), a, cfg.va),
];
/** Pages of the folio mapped at page `a` of mm `m`. */
const folioPages = (k: Kernel, m: number, a: number): number | undefined => k.folio[pteOf(k, m, a).folio]?.nr_pages;
const stateAfter = (steps: Action[]): Kernel => kernelAfter(cfg, steps);

describe('is_mergeable_anon_vma()', () => {
  const vm = (anon_vma: number, fork_child = false): Vm => ({
    ...(mmOf(stateAfter([]), 0).vm[0] as Vm),
    anon_vma,
    fork_child,
  });
  it('the same anon_vma, or none on both sides, merges; two different ones never do', () => {
    expect(is_mergeable_anon_vma(1, false, vm(1))).toBe(true);
    expect(is_mergeable_anon_vma(0, false, vm(0))).toBe(true);
    expect(is_mergeable_anon_vma(1, false, vm(2))).toBe(false);
  });
  it('one side without: only if the side that has one is not a fork child', () => {
    expect(is_mergeable_anon_vma(1, false, vm(0))).toBe(true);
    expect(is_mergeable_anon_vma(1, true, vm(0))).toBe(false);
    expect(is_mergeable_anon_vma(0, false, vm(1))).toBe(true);
    expect(is_mergeable_anon_vma(0, false, vm(1, true))).toBe(false);
  });
});

describe('VMA merging and the anon_vma', () => {
  const gap10 = [mprotect(0, 1, 1, 'ro'), fault(0, 0), fault(0, 2), zap(0, 0, 4), mprotect(0, 1, 1, 'rw')];

  it('gap 10: faults on both sides of page 1 give them anon_vmas of their own; page 1 joins the left one only', () => {
    const k = stateAfter(gap10);
    expect(vmaOf(k, 0, 1)).toEqual([0, 2]);
    expect(vmaOf(k, 0, 2)).toEqual([2, 4]);
    expect(mmOf(k, 0).vm[1]?.anon_vma).toBe(mmOf(k, 0).vm[0]?.anon_vma);
    expect(mmOf(k, 0).vm[2]?.anon_vma).not.toBe(mmOf(k, 0).vm[0]?.anon_vma);
    // The VMA of two pages has no room for the 4-page folio: the fault maps one page.
    expect(folioPages(stateAfter([...gap10, fault(0, 0)]), 0, 0)).toBe(1);
  });

  it('without the faults (no anon_vma on either side) the three VMAs merge back into one', () => {
    const k = stateAfter([mprotect(0, 1, 1, 'ro'), mprotect(0, 1, 1, 'rw'), fault(0, 0)]);
    expect(vmaOf(k, 0, 0)).toEqual([0, 4]);
    expect(folioPages(k, 0, 0)).toBe(4);
  });

  it('a VMA without anon_vma merges with a faulted neighbour, which lends it its anon_vma (dup_anon_vma())', () => {
    const k = stateAfter([mprotect(0, 2, 2, 'ro'), fault(0, 0), zap(0, 0, 1), mprotect(0, 2, 2, 'rw'), fault(0, 0)]);
    expect(vmaOf(k, 0, 0)).toEqual([0, 4]);
    expect(
      mmOf(k, 0)
        .vm.slice(0, 4)
        .every((v) => v.anon_vma === mmOf(k, 0).vm[0]?.anon_vma),
    ).toBe(true);
    expect(folioPages(k, 0, 0)).toBe(4);
  });

  it('a fork child does not merge with a VMA without anon_vma: its anon_vma_chain is not singular', () => {
    const steps = [mprotect(0, 2, 2, 'ro'), fault(0, 0), fork(0)];
    const child = stateAfter([...steps, mprotect(1, 2, 2, 'rw'), zap(1, 0, 2), fault(1, 0)]);
    expect(vmaOf(child, 1, 0)).toEqual([0, 2]);
    expect(mmOf(child, 1).vm[0]?.fork_child).toBe(true);
    expect(folioPages(child, 1, 0)).toBe(1);
    // The parent's own VMA is no fork child: there the same steps merge, and the fault maps four pages.
    const parent = stateAfter([...steps, mprotect(0, 2, 2, 'rw'), zap(0, 0, 2), fault(0, 0)]);
    expect(vmaOf(parent, 0, 0)).toEqual([0, 4]);
    expect(folioPages(parent, 0, 0)).toBe(4);
  });

  it('fork gives each of the child’s VMAs an anon_vma of its own: they no longer merge', () => {
    const k = stateAfter([fault(0, 0), mprotect(0, 1, 1, 'ro'), fork(0), mprotect(1, 1, 1, 'rw')]);
    expect(vmaOf(k, 1, 0)).toEqual([0, 1]);
    expect(
      new Set(
        mmOf(k, 1)
          .vm.slice(0, 4)
          .map((v) => v.anon_vma),
      ).size,
    ).toBe(3);
    expect(vmaOf(stateAfter([fault(0, 0), mprotect(0, 1, 1, 'ro'), mprotect(0, 1, 1, 'rw')]), 0, 0)).toEqual([0, 4]);
  });

  it('anon_vma_prepare() reuses a compatible neighbour’s anon_vma (access flags aside), so both merge later', () => {
    const steps = [mprotect(0, 1, 1, 'ro'), fault(0, 0), mprotect(0, 0, 1, 'ro'), mprotect(0, 1, 1, 'rw')];
    const k = stateAfter([...steps, fault(0, 2)]);
    expect(mmOf(k, 0).vm[2]?.anon_vma).toBe(mmOf(k, 0).vm[0]?.anon_vma);
    const merged = stateAfter([...steps, fault(0, 2), mprotect(0, 0, 1, 'rw'), zap(0, 0, 4), fault(0, 0)]);
    expect(vmaOf(merged, 0, 0)).toEqual([0, 4]);
    expect(folioPages(merged, 0, 0)).toBe(4);
  });

  it('VM_ACCOUNT: a read-only VMA without anon_vma is uncharged, and no longer merges with a faulted one', () => {
    const k = stateAfter([mprotect(0, 1, 1, 'ro'), fault(0, 2), read(0, 1), mprotect(0, 0, 4, 'ro'), fork(0)]);
    expect(vmaOf(k, 0, 1)).toEqual([0, 2]);
    expect(mmOf(k, 0).vm[1]?.anon_vma).toBe(0);
    // So fork does not copy page 1's zero-page PTE (vma_needs_copy()).
    expect(pteOf(k, 1, 1)).toMatchObject({ zero: false, present: false });
  });

  it('mremap(): the moved VMA keeps its anon_vma and merges back with the rest of its VMA (copy_vma())', () => {
    const k = stateAfter([fault(0, 0), zap(0, 0, 1), munmap(0, 2, 2), mremap(0, 1, 1, 5), mremap(0, 5, 1, 1)]);
    expect(vmaOf(k, 0, 0)).toEqual([0, 2]);
    // An unfaulted page moved between two VMAs with anon_vmas of their own joins only the left one.
    const gap = [mprotect(0, 1, 1, 'ro'), fault(0, 0), fault(0, 2), zap(0, 0, 4), mremap(0, 1, 1, 5)];
    const other = stateAfter([...gap, mprotect(0, 5, 1, 'rw'), mremap(0, 5, 1, 1)]);
    expect(vmaOf(other, 0, 1)).toEqual([0, 2]);
    expect(vmaOf(other, 0, 2)).toEqual([2, 4]);
  });
});
