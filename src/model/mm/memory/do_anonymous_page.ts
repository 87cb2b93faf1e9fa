/**
 * do_anonymous_page - fault on an empty PTE of a private anonymous VMA
 *
 * Models:   mm/memory.c do_anonymous_page() with alloc_anon_folio() (mTHP, v6.8+): write faults, and read
 *           faults that may not map the zero page (`readAllocates`; mapped writable only if the VMA has VM_WRITE).
 * Context:  one step under the PT lock (the kernel allocates first, then rechecks pte_none under the lock;
 *           the model has no concurrent fault to lose that race against).
 * Return:   0; 'EFAULT' if the mm does not exist; 'EEXIST' if the PTE is not none (handle_pte_fault() would
 *           not come here); 'ENOMEM' if no folio slot is free.
 * Deviates: read faults map the zero page in handle_mm_fault() unless the zero page is forbidden; every configured order is "always" enabled
 *           (docs/kernel-rules.md §6, bench-core), and the one VMA covers every aligned range.
 */

import { folio_ref_add } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../../include/mm_types.js';
import { sameVma } from '../../recount/vma.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap } from '../rmap/folio_add_new_anon_rmap.js';
import { anon_vma_prepare, vma_mapped, vma_writable } from '../vma.js';

export function do_anonymous_page(
  k: Kernel,
  m: number,
  addr: number,
  fault: 'write' | 'read' = 'write',
): 0 | 'EFAULT' | 'EEXIST' | 'ENOMEM' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  // Outside a VMA, or a write to a VMA without VM_WRITE: SIGSEGV.
  if (!vma_mapped(mm, addr)) return 'EFAULT';
  const writable = vma_writable(mm, addr);
  if (fault === 'write' && !writable) return 'EFAULT';
  const pte = mm.pte[addr] as Pte;
  if (pte.present || pte.zero || pte.swp) return 'EEXIST';
  // Under a huge PMD there is no PTE table: handle_mm_fault() goes to the PMD handlers instead.
  if ((mm.pmd[(addr / k.cfg.pt) | 0] as Pmd).huge) return 'EEXIST';

  const nr = alloc_anon_folio_nr(k, mm, addr);
  const start = addr - (addr % nr);
  const slot = folio_alloc(k, nr);
  if (slot === NO_SLOT) return 'ENOMEM';
  const folio = k.folio[slot] as Folio;

  // set_ptes(): every PTE of the aligned range maps the next page, writable (and dirty) when the VMA has
  // VM_WRITE, whatever the fault: a read fault that may not map the zero page maps a writable page too.
  for (let j = 0; j < nr; j++) {
    const pte = mm.pte[start + j] as Pte;
    pte.present = true;
    pte.write = writable;
    pte.folio = slot;
    pte.page = j;
  }
  // One reference per PTE: the allocation reference becomes the first mapping's.
  folio_ref_add(folio, nr - 1);
  // vmf_anon_prepare(): the VMA gets its anon_vma before the first anonymous folio (not for the zero page).
  if (k.cfg.tracksVmas) anon_vma_prepare(k, m, start);
  folio_add_new_anon_rmap(k, folio, nr, m, start);
  return 0;
}

/**
 * alloc_anon_folio - the highest enabled order whose naturally aligned range around `addr` is all none
 * (pte_range_none()); order 0 always qualifies because the faulting PTE is none.
 */
function alloc_anon_folio_nr(k: Kernel, mm: Mm, addr: number): number {
  for (const order of k.cfg.anonOrders) {
    const nr = 1 << order;
    const start = addr - (addr % nr);
    let suitable = true;
    for (let j = 0; j < nr && suitable; j++) {
      const pte = mm.pte[start + j] as Pte;
      // pte_range_none(), and thp_vma_suitable_order(): the whole range inside the faulting VMA.
      suitable = !pte.present && !pte.zero && !pte.swp;
      if (suitable && k.cfg.tracksVmas && start + j !== addr) {
        suitable = start + j < addr ? sameVma(mm, start + j, addr) : sameVma(mm, addr, start + j);
      }
    }
    if (suitable) return nr;
  }
  return 1;
}
