/**
 * vma_modify_flags() and vma_merge_copied_range() case by case (mm/vma.c vma_merge_existing_range(),
 * vma_merge_new_range(), can_vma_merge_left() / can_vma_merge_right(), is_mergeable_vma(),
 * is_mergeable_anon_vma(), dup_anon_vma(); mm/mprotect.c mprotect_fixup()), on VMAs laid out by hand: which
 * neighbour a VMA whose flags change merges with shows in the anon_vma every merged page ends up with. Each
 * case pins one condition of the merge (docs/mutation-testing.md, `vma_merge.ts`).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, kernelAfter, mmOf, mremap, munmap } from '../../../test/helpers.js';
import { layVmas, type Span } from '../../../test/vmaLayout.js';
import type { Mm } from '../include/mm_types.js';
import { type VmFlags, vma_modify_flags } from './vma_merge.js';

const VA = 8;
const cfg = config({ mms: 1, va: VA, pt: 4, large: 1, slots: 8, pins: 0, map: 6, ops: ['fault', 'munmap', 'mremap'] });

/** An mm whose pages are the spans given (writable, accounted, no anon_vma, pgoff = address by default). */
function mmWith(...spans: Span[]): Mm {
  return layVmas(mmOf(kernelAfter(cfg, []), 0), ...spans);
}

const anonVmas = (mm: Mm): number[] => mm.vm.map((v) => v.anon_vma);
const forkChildren = (mm: Mm): boolean[] => mm.vm.map((v) => v.fork_child);
const to = (f: VmFlags) => (): VmFlags => f;
const RW: VmFlags = { write: true, dontcopy: false, account: true };

describe('vma_modify_flags(): is_mergeable_vma() wants equal flags and consecutive pgoff', () => {
  it('a previous VMA whose VM_WRITE differs from the new flags does not merge (nor lends or takes an anon_vma)', () => {
    // prev [0,2) writable with VM_DONTCOPY; middle [2,4) read-only, anon_vma 1; MADV_DONTFORK on the middle.
    const mm = mmWith({ start: 0, end: 2, dontcopy: true }, { start: 2, end: 4, write: false, anon_vma: 1 });
    vma_modify_flags(mm, VA, 2, 4, to({ write: false, dontcopy: true, account: true }));
    expect(anonVmas(mm).slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('a previous VMA whose VM_DONTCOPY differs does not merge', () => {
    const mm = mmWith({ start: 0, end: 2, write: false }, { start: 2, end: 4, dontcopy: true, anon_vma: 1 });
    vma_modify_flags(mm, VA, 2, 4, to({ write: false, dontcopy: true, account: true }));
    expect(anonVmas(mm).slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('a previous VMA whose pgoff does not run on into the range does not merge', () => {
    const mm = mmWith({ start: 0, end: 2, pgoff: 5 }, { start: 2, end: 4, write: false, anon_vma: 1 });
    vma_modify_flags(mm, VA, 2, 4, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('a next VMA whose pgoff does not continue the range does not merge', () => {
    const mm = mmWith({ start: 0, end: 2, write: false, anon_vma: 1 }, { start: 2, end: 4, pgoff: 6 });
    vma_modify_flags(mm, VA, 0, 2, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([1, 1, 0, 0]);
  });

  it('mprotect_fixup(): a VMA whose flags do not change is left alone, even beside a mergeable neighbour', () => {
    // newflags == oldflags: no vma_modify_flags() call, so no merge with prev (which would lend anon_vma 1).
    const mm = mmWith({ start: 0, end: 2, anon_vma: 1 }, { start: 2, end: 4 });
    vma_modify_flags(mm, VA, 2, 4, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([1, 1, 0, 0]);
  });

  it('a change of VM_ACCOUNT alone is a change of flags: written, and the VMA merges', () => {
    const mm = mmWith({ start: 0, end: 2, anon_vma: 1 }, { start: 2, end: 4, account: false });
    vma_modify_flags(mm, VA, 2, 4, to(RW));
    expect(mm.vm.slice(0, 4).map((v) => [v.account, v.anon_vma])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
  });
});

describe('vma_modify_flags(): which anon_vma the merged VMA keeps (dup_anon_vma())', () => {
  it('merging left only: prev without anon_vma takes the middle’s; the chain stays singular', () => {
    const mm = mmWith({ start: 0, end: 2 }, { start: 2, end: 4, write: false, anon_vma: 1 });
    vma_modify_flags(mm, VA, 2, 4, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(forkChildren(mm).slice(0, 4)).toEqual([false, false, false, false]);
  });

  it('merging right only (the range starts at 0): the middle takes next’s anon_vma', () => {
    const mm = mmWith({ start: 0, end: 2, write: false }, { start: 2, end: 4, anon_vma: 1 });
    vma_modify_flags(mm, VA, 0, 2, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([1, 1, 1, 1]);
  });

  it('merging right only: next without anon_vma takes the middle’s', () => {
    const mm = mmWith({ start: 0, end: 2, write: false, anon_vma: 1 }, { start: 2, end: 4 });
    vma_modify_flags(mm, VA, 0, 2, to(RW));
    expect(anonVmas(mm).slice(0, 4)).toEqual([1, 1, 1, 1]);
  });

  it('merging both sides, only next has an anon_vma: prev and the middle take it', () => {
    const mm = mmWith({ start: 0, end: 2 }, { start: 2, end: 3, write: false }, { start: 3, end: 5, anon_vma: 1 });
    vma_modify_flags(mm, VA, 2, 3, to(RW));
    expect(anonVmas(mm).slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('merging both sides, only prev has an anon_vma: the middle and next take it', () => {
    const mm = mmWith({ start: 0, end: 2, anon_vma: 1 }, { start: 2, end: 3, write: false }, { start: 3, end: 5 });
    vma_modify_flags(mm, VA, 2, 3, to(RW));
    expect(anonVmas(mm).slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a fork child’s VMA split and joined again keeps its non-singular chain (vma_is_fork_child())', () => {
    const mm = mmWith(
      { start: 0, end: 2, anon_vma: 1, fork_child: true },
      { start: 2, end: 4, write: false, anon_vma: 1, fork_child: true, pgoff: 2 },
    );
    vma_modify_flags(mm, VA, 2, 4, to(RW));
    expect(forkChildren(mm).slice(0, 4)).toEqual([true, true, true, true]);
  });
});

describe('vma_merge_copied_range() (copy_vma() -> vma_merge_new_range())', () => {
  it('a never-faulted page moved between its old VMA and a faulted one merges with both; its old address stays without VMA', () => {
    // [0,4) never faulted (pgoff = address); [5,6) faulted: an anon_vma of its own (page 4 unmapped between).
    // Page 3 moved to 4 takes pgoff 4 (copy_vma()): consecutive with page 3 (the source, still mapped when
    // copy_vma() merges) and with page 5, so [0,3) + 4 + [5,6) are one VMA with [5,6)'s anon_vma.
    const k = kernelAfter(cfg, [munmap(0, 4, 1), fault(0, 5), mremap(0, 3, 1, 4)]);
    const mm = mmOf(k, 0);
    const a = mm.vm[5]?.anon_vma;
    expect(a).not.toBe(0);
    expect(anonVmas(mm).slice(0, 6)).toEqual([a, a, a, 0, a, a]);
    expect(mm.vm[3]?.mapped).toBe(false);
  });
});
