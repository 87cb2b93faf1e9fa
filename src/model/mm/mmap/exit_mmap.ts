/**
 * exit_mmap - the last user of an mm is gone: unmap everything and free the mm
 *
 * Models:   mm/mmap.c exit_mmap() (from mmput() at exit): unmap_vmas() over every VMA, then the VMAs and
 *           page tables are freed (docs/kernel-rules.md §2.6: exit zaps like munmap).
 * Context:  one step; nothing else can touch a dying mm.
 * Return:   0, or 'EFAULT' if the mm does not exist.
 * Deviates: pins taken by the process stay until unpinned (as io_uring's buffers outlive the mm until the
 *           ring is torn down); they are no longer attached to any mapping. The mm's index may be reused
 *           by a later fork.
 */
import type { Kernel, Mm, Vm } from '../../include/mm_types.js';
import { unmap_page_range } from '../memory/zap_pte_range.js';

export function exit_mmap(k: Kernel, m: number): 0 | 'EFAULT' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  unmap_page_range(k, m, 0, k.cfg.va);
  for (const vm of (mm as Mm).vm as Vm[]) {
    vm.mapped = false;
    vm.write = false;
    vm.dontcopy = false;
    vm.account = false;
    vm.anon_vma = 0;
    vm.fork_child = false;
    vm.pgoff = 0;
  }
  mm.live = false;
  return 0;
}
