/**
 * handle_mm_fault - dispatch a user fault to the handler for the entry it finds
 *
 * Models:   mm/memory.c handle_mm_fault() -> __handle_mm_fault() -> handle_pte_fault() (docs/kernel-rules.md §2.0),
 *           and do_anonymous_page()'s read-fault branch (§2.1 step 1: the shared zero page; with
 *           `readAllocates`, as where mm_forbids_zeropage() holds, a read fault allocates as a write does).
 * Context:  one step under the mmap lock; each handler takes its PT lock.
 * Return:   0; 'EFAULT' for a SIGSEGV (no VMA, or a write to a VMA without VM_WRITE, or the mm does not
 *           exist); 'ENOMEM' when a handler needs a folio slot and none is free; 'NOP' when the access is
 *           already allowed and no handler runs.
 * Deviates: FOLL_FORCE is not modelled.
 */
import type { Kernel, Pmd, Pte } from '../../include/mm_types.js';
import { do_huge_pmd_wp_page } from '../huge_memory/do_huge_pmd_wp_page.js';
import { vma_mapped, vma_writable } from '../vma.js';
import { do_anonymous_page } from './do_anonymous_page.js';
import { do_swap_page } from './do_swap_page.js';
import { do_wp_page } from './do_wp_page.js';

/** FAULT_FLAG_WRITE, or a read fault. */
export type FaultKind = 'write' | 'read';

export function handle_mm_fault(k: Kernel, m: number, addr: number, fault: FaultKind): 0 | 'EFAULT' | 'ENOMEM' | 'NOP' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live || !vma_mapped(mm, addr)) return 'EFAULT';
  if (fault === 'write' && !vma_writable(mm, addr)) return 'EFAULT';
  const pmd = mm.pmd[(addr / k.cfg.pt) | 0] as Pmd;
  if (pmd.huge) {
    if (fault === 'read' || pmd.write) return 'NOP';
    const ret = do_huge_pmd_wp_page(k, m, addr, 'write');
    return ret === 'EINVAL' ? 'EFAULT' : ret;
  }
  const pte = mm.pte[addr] as Pte;
  if (pte.swp) {
    const ret = do_swap_page(k, m, addr, fault);
    if (ret) return ret === 'EINVAL' ? 'EFAULT' : ret;
    // A write fault that mapped the page read-only goes on into do_wp_page() at once.
    if (fault === 'write' && !pte.write) {
      const wp = do_wp_page(k, m, addr, 'write');
      return wp === 'EINVAL' ? 'EFAULT' : wp;
    }
    return 0;
  }
  if (!pte.present && !pte.zero) {
    if (fault === 'read' && !k.cfg.readAllocates) return do_anonymous_read(pte);
    const ret = do_anonymous_page(k, m, addr, fault);
    return ret === 'EEXIST' ? 'NOP' : ret;
  }
  if (fault === 'write' && !pte.write) {
    const ret = do_wp_page(k, m, addr, 'write');
    return ret === 'EINVAL' ? 'EFAULT' : ret;
  }
  return 'NOP';
}

/**
 * do_anonymous_page(), read fault: map the shared zero page read-only (my_zero_pfn(), a special PTE): no
 * folio, no mapcount, no reference (docs/kernel-rules.md §2.1 step 1, §5 I13).
 */
function do_anonymous_read(pte: Pte): 0 {
  pte.zero = true;
  pte.write = false;
  return 0;
}
