/**
 * copy_vma(): an anonymous VMA that was never faulted (no anon_vma) takes the pgoff of its new address, so
 * it can merge there; one with an anon_vma keeps its pgoff. Found on Linux 6.18 by `foliocheck kernel`
 * (docs/kernel-conformance.md, gap 7: `munmap(0,0,1); mremap(0,4,1,0); fault(0,0)`). The moved VMA keeps the
 * anon_vma it had (vm_area_dup() copies vma->anon_vma; none stays none), so a later move and a fork read it
 * again (mutation testing: docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, mmOf, mremap, munmap, pteOf, zap } from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Mm } from '../../include/mm_types.js';
import { vma_end, vma_start } from '../vma.js';

const base = {
  mms: 1,
  va: 16,
  pt: 8,
  large: 8,
  orders: [2, 3],
  slots: 4,
  pins: 0,
  map: 8,
  ops: ['fault', 'zap', 'munmap', 'mremap'],
} satisfies Partial<Bounds>;
const cfg = config(base);

/** The same with a second mm and fork(). */
const forking = config({ ...base, mms: 2, ops: ['fault', 'zap', 'fork', 'munmap', 'mremap'] });

const vmaOf = (mm: Mm, a: number): [number, number] => [vma_start(mm, a), vma_end(mm, a, 16)];

describe('move_vma and anon_vma (copy_vma())', () => {
  it('a never-faulted page moved to 0 takes pgoff 0 and merges with pages 1-3: the fault allocates 4 pages', () => {
    const k = kernelAfter(cfg, [munmap(0, 0, 1), mremap(0, 4, 1, 0)]);
    expect(mmOf(k, 0).vm[0]?.pgoff).toBe(0);
    expect([vma_start(mmOf(k, 0), 0), vma_end(mmOf(k, 0), 0, 16)]).toEqual([0, 4]);
    const after = kernelAfter(cfg, [munmap(0, 0, 1), mremap(0, 4, 1, 0), fault(0, 0)]);
    expect(after.folio[pteOf(after, 0, 0).folio]?.nr_pages).toBe(4);
  });

  it('a VMA with an anon_vma keeps its pgoff: the moved page is a VMA of its own and faults one page', () => {
    const k = kernelAfter(cfg, [fault(0, 4), zap(0, 4, 4), munmap(0, 0, 1), mremap(0, 4, 1, 0), fault(0, 0)]);
    expect(mmOf(k, 0).vm[0]?.pgoff).toBe(4);
    expect(k.folio[pteOf(k, 0, 0).folio]?.nr_pages).toBe(1);
  });

  it('a never-faulted range moved twice takes each new address as pgoff: moved back, it merges again', () => {
    // copy_vma(): no anon_vma, so pgoff = new address, page by page; the moved VMA still has none, so the
    // second move does the same, and back at 4-5 the pgoffs 4, 5 continue pages 0-3 and 6-7.
    const k = kernelAfter(cfg, [mremap(0, 4, 2, 12)]);
    expect([12, 13].map((a) => mmOf(k, 0).vm[a]?.pgoff)).toEqual([12, 13]);
    expect(vmaOf(mmOf(k, 0), 12)).toEqual([12, 14]);
    expect([12, 13].map((a) => mmOf(k, 0).vm[a]?.anon_vma)).toEqual([0, 0]); // 0: no anon_vma
    const back = kernelAfter(cfg, [mremap(0, 4, 2, 12), mremap(0, 12, 2, 4)]);
    expect([4, 5].map((a) => mmOf(back, 0).vm[a]?.pgoff)).toEqual([4, 5]);
    expect(vmaOf(mmOf(back, 0), 4)).toEqual([0, 8]);
  });

  it('a faulted VMA keeps its anon_vma when moved: a second move keeps the pgoff, fork copies its PTE', () => {
    // fault(0,4) gives the VMA of pages 0-7 an anon_vma; page 4 moved to 12, then to 10, keeps pgoff 4.
    const k = kernelAfter(forking, [fault(0, 4), mremap(0, 4, 1, 12), mremap(0, 12, 1, 10)]);
    expect(mmOf(k, 0).vm[10]).toMatchObject({ mapped: true, pgoff: 4 });
    // The anon_vma is an identity (a name, 0 for none): the moved page keeps the one it had.
    expect(mmOf(k, 0).vm[10]?.anon_vma).toBeGreaterThan(0);
    // vma_needs_copy(): a VMA with an anon_vma has its page tables copied at fork (the child maps the page).
    const forked = kernelAfter(forking, [fault(0, 4), mremap(0, 4, 1, 12), fork(0)]);
    expect(pteOf(forked, 1, 12)).toMatchObject({ present: true, folio: pteOf(forked, 0, 12).folio });
  });

  it('the vacated address is left as munmap() leaves it: no VMA, no anon_vma', () => {
    const moved = kernelAfter(cfg, [fault(0, 4), mremap(0, 4, 1, 12)]);
    const unmapped = kernelAfter(cfg, [fault(0, 4), munmap(0, 4, 1)]);
    expect(mmOf(moved, 0).vm[4]).toEqual(mmOf(unmapped, 0).vm[4]);
    expect(mmOf(moved, 0).vm[4]?.anon_vma).toBe(0);
  });
});
