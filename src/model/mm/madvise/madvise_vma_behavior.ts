/**
 * madvise_vma_behavior - MADV_DONTFORK and MADV_DOFORK: set or clear VM_DONTCOPY on a range
 *
 * Models:   mm/madvise.c madvise_vma_behavior() -> madvise_update_vma() (docs/kernel-rules.md §2.17): the range's
 *           VMAs split at its ends and merge where vma_modify_flags() merges them (vma_merge.ts, anon_vmas
 *           compatible); no PTE, mapcount, refcount or AE bit changes. The effect is all at the next fork (copy_page_range()).
 * Context:  one step under the mmap write lock.
 * Return:   0; 'EFAULT' if the mm does not exist or the range has a hole (the kernel: -ENOMEM); 'NOP' if
 *           the flag is already as asked.
 */
import type { Kernel, Vm } from '../../include/mm_types.js';
import { split_huge_pmds_partly_covered } from '../huge_memory/__split_huge_pmd.js';
import { vma_modify_flags } from '../vma_merge.js';

export function madvise_dontfork(
  k: Kernel,
  m: number,
  addr: number,
  nr: number,
  dontcopy: boolean,
): 0 | 'EFAULT' | 'NOP' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  let change = false;
  for (let a = addr; a < addr + nr; a++) {
    const vm = mm.vm[a] as Vm;
    if (!vm.mapped) return 'EFAULT';
    change ||= vm.dontcopy !== dontcopy;
  }
  if (!change) return 'NOP';
  // Splitting the VMA at an unaligned end splits a huge PMD there.
  split_huge_pmds_partly_covered(k, m, addr, addr + nr);
  vma_modify_flags(mm, k.cfg.va, addr, addr + nr, (vma) => ({ write: vma.write, dontcopy, account: vma.account }));
  return 0;
}
