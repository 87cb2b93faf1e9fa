/**
 * VMA merging: which neighbours a VMA whose flags change, or a VMA mremap() moves, merges with, and the
 * anon_vma the merged VMA keeps.
 *
 * Models:   mm/vma.c vma_modify_flags() -> vma_merge_existing_range() (mprotect(), madvise()) and copy_vma()
 *           -> vma_merge_copied_range() -> vma_merge_new_range() (mremap()), with can_vma_merge_left(),
 *           can_vma_merge_right(), is_mergeable_anon_vma() and dup_anon_vma(), as in Linux 6.18 (after
 *           "mm/vma: fix incorrectly disallowed anonymous VMA merges", 6.16, and its mremap follow-up).
 * Context:  one step under the mmap write lock; the flags, anon_vma and pgoff of a VMA are those of each
 *           of its pages, so a split is nothing to do and a merge is giving the merged pages one anon_vma.
 */
import type { Mm, Vm } from '../include/mm_types.js';
import { vma_end, vma_start } from './vma.js';

/**
 * is_mergeable_anon_vma - may a VMA with anon_vma `src` (a fork child or not) merge with a neighbour
 * `tgt`? Without one on one side, only if the side that has one is not a fork child (its anon_vma_chain
 * is singular: vma_is_fork_child()); with one on both sides, only if it is the same.
 */
export function is_mergeable_anon_vma(src: number, srcForkChild: boolean, tgt: Vm): boolean {
  // Case 1: dup_anon_vma() from src into tgt (copy_vma(): `copied_from` is the source, tested the same).
  if (tgt.anon_vma === 0 && src !== 0) return !srcForkChild;
  // Case 2: the merged VMA simply uses tgt's anon_vma.
  if (tgt.anon_vma !== 0 && src === 0) return !tgt.fork_child;
  // Case 3: the anon_vmas are already shared (or neither has one).
  return src === tgt.anon_vma;
}

/** The flags of a VMA the model keeps: VM_WRITE, VM_DONTCOPY, VM_ACCOUNT. */
export interface VmFlags {
  readonly write: boolean;
  readonly dontcopy: boolean;
  readonly account: boolean;
}

/** The proposed VMA: its flags, its first page's pgoff, its anon_vma. */
interface Proposed extends VmFlags {
  readonly pgoff: number;
  readonly anon_vma: number;
  readonly fork_child: boolean;
}

/** The span a merge gives one anon_vma, and which (dup_anon_vma(): the target's, else the one merged in). */
interface Merge {
  readonly start: number;
  readonly end: number;
  readonly anon_vma: number;
  readonly fork_child: boolean;
}

/**
 * can_vma_merge_left / can_vma_merge_right for the proposed VMA `p` at [start, end): the neighbour's flags
 * equal, pgoff consecutive, anon_vmas mergeable; merging both also needs prev's and next's anon_vmas
 * compatible with each other (can_vma_merge_right()). Returns the merged span, or undefined for no merge.
 * `left` and `right`: whether the range may merge on that side at all (vma_merge_existing_range() needs it
 * to start or end where the VMA does). Reads the neighbours before the caller changes anything.
 */
function vma_merge(mm: Mm, va: number, start: number, end: number, p: Proposed, left: boolean, right: boolean) {
  const fits = (vm: Vm): boolean =>
    vm.mapped && vm.write === p.write && vm.dontcopy === p.dontcopy && vm.account === p.account;
  const prev = start > 0 ? (mm.vm[start - 1] as Vm) : undefined;
  const next = end < va ? (mm.vm[end] as Vm) : undefined;
  const mergeLeft =
    left &&
    prev !== undefined &&
    fits(prev) &&
    prev.pgoff + 1 === p.pgoff &&
    is_mergeable_anon_vma(p.anon_vma, p.fork_child, prev);
  const mergeRight =
    right &&
    next !== undefined &&
    fits(next) &&
    next.pgoff === p.pgoff + (end - start) &&
    is_mergeable_anon_vma(p.anon_vma, p.fork_child, next) &&
    (!mergeLeft || prev?.anon_vma === 0 || next.anon_vma === 0 || prev?.anon_vma === next.anon_vma);
  if (!mergeLeft && !mergeRight) return undefined;
  // dup_anon_vma(prev, next->anon_vma ? next : middle), or (prev, middle), or (next, middle).
  let from: Proposed | Vm = p;
  if (mergeRight && (next as Vm).anon_vma !== 0) from = next as Vm;
  if (mergeLeft && (prev as Vm).anon_vma !== 0) from = prev as Vm;
  return {
    start: mergeLeft ? vma_start(mm, start - 1) : start,
    end: mergeRight ? vma_end(mm, end, va) : end,
    anon_vma: from.anon_vma,
    fork_child: from.fork_child,
  } satisfies Merge;
}

/** Gives the pages of a merge its anon_vma (those still mapped: mremap() unmaps the source after). */
function commit_merge(mm: Mm, merge: Merge | undefined): void {
  if (merge === undefined) return;
  for (let a = merge.start; a < merge.end; a++) {
    const vm = mm.vm[a] as Vm;
    if (!vm.mapped) continue;
    vm.anon_vma = merge.anon_vma;
    vm.fork_child = merge.anon_vma !== 0 && merge.fork_child;
  }
}

/**
 * vma_modify_flags - give [start, end) of a mapped range the flags `newflags` computes from each VMA's, VMA
 * by VMA as mprotect() (mprotect_fixup()) and madvise() (madvise_update_vma()) do: a VMA whose flags do not
 * change is left alone (no merge is tried); otherwise the part of it in the range merges with the previous
 * VMA if it starts where the VMA does, with the next if it ends where the VMA does
 * (vma_merge_existing_range()), and what merges nowhere is split off with the anon_vma it had
 * (anon_vma_clone()).
 */
export function vma_modify_flags(mm: Mm, va: number, start: number, end: number, newflags: (vma: Vm) => VmFlags): void {
  for (let a = start; a < end; ) {
    const vs = vma_start(mm, a);
    const ve = vma_end(mm, a, va);
    const pe = Math.min(ve, end);
    const middle = mm.vm[a] as Vm;
    const f = newflags(middle);
    if (f.write !== middle.write || f.dontcopy !== middle.dontcopy || f.account !== middle.account) {
      const p: Proposed = { ...f, pgoff: middle.pgoff, anon_vma: middle.anon_vma, fork_child: middle.fork_child };
      const merge = vma_merge(mm, va, a, pe, p, a === vs, pe === ve);
      for (let b = a; b < pe; b++) {
        const vm = mm.vm[b] as Vm;
        vm.write = f.write;
        vm.dontcopy = f.dontcopy;
        vm.account = f.account;
      }
      commit_merge(mm, merge);
    }
    a = pe;
  }
}

/**
 * vma_merge_copied_range - copy_vma()'s merge of the VMA mremap() moves to [to, to + nr): with the
 * neighbours there (the source VMA still mapped), as vma_merge_new_range() merges a new VMA, the source
 * standing for the middle (`copied_from`). Call before the moved pages are written; apply the result with
 * `commitCopiedRange` after.
 */
export function vma_merge_copied_range(mm: Mm, va: number, to: number, nr: number, p: Proposed) {
  return vma_merge(mm, va, to, to + nr, p, true, true);
}

export const commitCopiedRange = commit_merge;
