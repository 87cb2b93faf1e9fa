/**
 * dup_mmap - fork(): create a child mm that copies the parent's address space
 *
 * Models:   kernel/fork.c dup_mmap() (copy_process() -> copy_mm()); each VMA is copied and its page tables
 *           with copy_page_range() (docs/kernel-rules.md §2.7).
 * Context:  one step.
 * Return:   0; 'EFAULT' if the parent does not exist; 'EAGAIN' if the bound on mms is reached (fork would
 *           hit a process limit); 'ENOMEM' if a pinned page needs a copy and no slot is free.
 * Deviates: the child takes the lowest index of an mm that does not exist (with only fork, the next index;
 *           after exit() an index is reused).
 */
import type { Kernel, Mm } from '../../include/mm_types.js';
import { copy_page_range } from '../../mm/memory/copy_page_range.js';

export function dup_mmap(k: Kernel, parent: number): 0 | 'EFAULT' | 'EAGAIN' | 'ENOMEM' {
  if (!k.mm[parent]?.live) return 'EFAULT';
  const child = nextChild(k);
  if (child < 0) return 'EAGAIN';
  (k.mm[child] as Mm).live = true;
  return copy_page_range(k, parent, child);
}

/** The index fork would give its child, or -1 when every mm exists. */
export function nextChild(k: Kernel): number {
  for (let m = 0; m < k.mm.length; m++) if (!(k.mm[m] as Mm).live) return m;
  return -1;
}
