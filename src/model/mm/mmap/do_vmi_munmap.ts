/**
 * do_vmi_munmap - munmap(): unmap a range and remove it from the VMAs
 *
 * Models:   mm/mmap.c / mm/vma.c do_vmi_munmap() -> do_vmi_align_munmap(): split the VMAs at the range's
 *           ends (__split_vma()), unmap the pages (unmap_region() -> unmap_vmas(), as zap does) and drop
 *           the VMAs in between (docs/kernel-rules.md §2.6 step 8).
 * Context:  one step under the mmap write lock.
 * Return:   0; 'EFAULT' if the mm does not exist; 'NOP' if nothing in the range is mapped (munmap of a hole
 *           succeeds and changes nothing).
 * Deviates: none beyond unmap_page_range()'s: a huge PMD the range covers in part is split there first.
 */
import type { Kernel, Vm } from '../../include/mm_types.js';
import { unmap_page_range } from '../memory/zap_pte_range.js';

export function do_vmi_munmap(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'NOP' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  let any = false;
  for (let a = addr; a < addr + nr; a++) any ||= (mm.vm[a] as Vm).mapped;
  if (!any) return 'NOP';
  unmap_page_range(k, m, addr, addr + nr);
  for (let a = addr; a < addr + nr; a++) {
    const vm = mm.vm[a] as Vm;
    vm.mapped = false;
    vm.write = false;
    vm.dontcopy = false;
    vm.account = false;
    vm.anon_vma = 0;
    vm.fork_child = false;
    vm.pgoff = 0;
  }
  return 0;
}
