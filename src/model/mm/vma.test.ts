/**
 * VMA lookups over per-page attributes (vma.ts; docs/kernel-rules.md §1.2): a VMA is a maximal run of mapped pages
 * with equal flags and consecutive pgoff, so VMAs split and merge exactly when their pages say so.
 */
import { describe, expect, it } from 'vitest';
import { config, dontfork, fault, kernelAfter, mmOf, mprotect, mremap, munmap, setVm } from '../../../test/helpers.js';
import { sameVma } from '../recount/vma.js';
import { CORE_OPS } from '../steps/index.js';
import { vma_end, vma_mapped, vma_writable } from './vma.js';

const cfg = config({
  ops: [...CORE_OPS, 'munmap', 'mprotect', 'dontfork', 'mremap'],
  va: 8,
  pt: 4,
  large: 2,
  map: 6,
});

/** The VMAs of mm 0 as [start, end) runs, found with vma_end() from each start. */
function vmas(actions: Parameters<typeof kernelAfter>[1]): number[][] {
  // A fault first gives the VMA an anon_vma, so moved pages keep their pgoff (copy_vma(); a never-faulted
  // VMA takes its new address as pgoff: move_vma.anon_vma.test.ts).
  const mm = mmOf(kernelAfter(cfg, [fault(0, 0), ...actions]), 0);
  const out: number[][] = [];
  for (let a = 0; a < cfg.va; ) {
    if (!vma_mapped(mm, a)) {
      a += 1;
      continue;
    }
    const end = vma_end(mm, a, cfg.va);
    out.push([a, end]);
    a = end;
  }
  return out;
}

describe('vma (docs/kernel-rules.md §1.2)', () => {
  it('the initial mm has one VMA over 0..map-1', () => {
    expect(vmas([])).toEqual([[0, 6]]);
  });

  it('a VMA splits where VM_WRITE or VM_DONTCOPY changes, or at a hole, and only there', () => {
    expect(vmas([mprotect(0, 2, 1, 'ro')])).toEqual([
      [0, 2],
      [2, 3],
      [3, 6],
    ]);
    expect(vmas([dontfork(0, 4, 2)])).toEqual([
      [0, 4],
      [4, 6],
    ]);
    expect(vmas([munmap(0, 1, 1)])).toEqual([
      [0, 1],
      [2, 6],
    ]);
  });

  it('neighbours merge again when their flags become equal (vma_merge())', () => {
    expect(vmas([mprotect(0, 2, 1, 'ro'), mprotect(0, 2, 1, 'rw')])).toEqual([[0, 6]]);
  });

  it('§2.8: pages moved by mremap keep their pgoff: side by side they are one VMA only in pgoff order', () => {
    // Page 1 (pgoff 1) moved to 6 is a VMA of its own; moved back it merges with its neighbours.
    expect(vmas([mremap(0, 1, 1, 6)])).toEqual([
      [0, 1],
      [2, 6],
      [6, 7],
    ]);
    expect(vmas([mremap(0, 1, 1, 6), mremap(0, 6, 1, 1)])).toEqual([[0, 6]]);
    // Pages 4-5 moved to 6-7 continue 0-3 in pgoff but not in address: two VMAs.
    expect(vmas([mremap(0, 4, 2, 6)])).toEqual([
      [0, 4],
      [6, 8],
    ]);
  });

  it('sameVma() compares a page with a later one: mapped, same flags, pgoff apart by their distance', () => {
    const k = kernelAfter(cfg, []);
    const mm = mmOf(k, 0);
    expect(sameVma(mm, 0, 5)).toBe(true);
    expect(sameVma(mm, 5, 6)).toBe(false); // 6 is not mapped
    setVm(k, 0, 3, { pgoff: 7 });
    expect(sameVma(mm, 2, 3)).toBe(false);
    expect(sameVma(mm, 0, 2)).toBe(true);
  });

  it('vma_end() stops at the limit even inside a VMA', () => {
    const mm = mmOf(kernelAfter(cfg, []), 0);
    expect(vma_end(mm, 1, 4)).toBe(4);
    expect(vma_end(mm, 1, 8)).toBe(6);
    expect(vma_end(mm, 5, 8)).toBe(6);
  });

  it('vma_writable() is VM_WRITE of a mapped page; unmapped pages are neither mapped nor writable', () => {
    const mm = mmOf(kernelAfter(cfg, [mprotect(0, 2, 2, 'ro')]), 0);
    expect([0, 2, 6].map((a) => [vma_mapped(mm, a), vma_writable(mm, a)])).toEqual([
      [true, true],
      [true, false],
      [false, false],
    ]);
  });
});
