/**
 * do_huge_pmd_anonymous_page - write fault in a PMD range with no page table yet: map a PMD-sized folio
 *
 * Models:   mm/huge_memory.c do_huge_pmd_anonymous_page() -> map_anon_folio_pmd() (docs/kernel-rules.md §2.1
 *           step 5); the step `thp(m,a)`.
 * Context:  one step under the PMD lock.
 * Return:   0; 'EFAULT' if the mm does not exist or the aligned range is not inside one writable VMA
 *           (thp_vma_suitable_order()); 'EEXIST' if the PMD is not none (a PTE table with any entry, or a
 *           huge PMD); 'ENOMEM' if no folio slot is free.
 * Deviates: the huge zero page (read faults) and the deposited page table are not modelled; a PTE table
 *           whose entries are all none stands for a none PMD.
 */
import type { Folio, Kernel, Pmd, Pte } from '../../include/mm_types.js';
import { sameVma } from '../../recount/vma.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap_pmd } from '../rmap/folio_pmd_rmap.js';
import { anon_vma_prepare, vma_writable } from '../vma.js';

export function do_huge_pmd_anonymous_page(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'EEXIST' | 'ENOMEM' {
  const mm = k.mm[m];
  const { pt } = k.cfg;
  if (mm === undefined || !mm.live || !vma_writable(mm, addr)) return 'EFAULT';
  const start = addr - (addr % pt);
  for (let a = start; a < start + pt; a++) {
    if (a !== addr && !(a < addr ? sameVma(mm, a, addr) : sameVma(mm, addr, a))) return 'EFAULT';
  }
  const pmd = mm.pmd[start / pt] as Pmd;
  if (pmd.huge) return 'EEXIST';
  for (let a = start; a < start + pt; a++) {
    const pte = mm.pte[a] as Pte;
    if (pte.present || pte.zero || pte.swp) return 'EEXIST';
  }
  const slot = folio_alloc(k, pt);
  if (slot === NO_SLOT) return 'ENOMEM';
  pmd.huge = true;
  pmd.write = true; // VM_WRITE
  pmd.folio = slot;
  // vmf_anon_prepare(), then one reference for the one mapping: the allocation's.
  if (k.cfg.tracksVmas) anon_vma_prepare(k, m, start);
  folio_add_new_anon_rmap_pmd(k, k.folio[slot] as Folio, m, start);
  return 0;
}
