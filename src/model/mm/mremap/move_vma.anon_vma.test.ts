/**
 * copy_vma(): an anonymous VMA that was never faulted (no anon_vma) takes the pgoff of its new address, so
 * it can merge there; one with an anon_vma keeps its pgoff. Found on Linux 6.18 by `foliocheck kernel`
 * (docs/kernel-conformance.md, gap 7: `munmap(0,0,1); mremap(0,4,1,0); fault(0,0)`).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, kernelAfter, mmOf, mremap, munmap, pteOf, zap } from '../../../../test/helpers.js';
import { vma_end, vma_start } from '../vma.js';

const cfg = config({
  mms: 1,
  va: 16,
  pt: 8,
  large: 8,
  orders: [2, 3],
  slots: 4,
  pins: 0,
  map: 8,
  ops: ['fault', 'zap', 'munmap', 'mremap'],
});

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
});
